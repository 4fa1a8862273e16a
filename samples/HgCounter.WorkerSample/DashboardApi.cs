using HgCounter.Runtime;

namespace HgCounter.WorkerSample;

/// <summary>What the dashboard needs beyond status and history: the history's local days and the latest events.</summary>
internal static class DashboardApi
{
    public const int DefaultCrossings = 20;

    public static void MapDashboardApi(this WebApplication app)
    {
        // GET /api/days: today and yesterday in HgCounter:TimeZone, as the UTC bounds /api/counts takes.
        app.MapGet("/api/days", (ICountHistory history, TimeProvider time) =>
        {
            var now = time.GetUtcNow();
            return Results.Json(new Days(history.TimeZone.Id, LocalDay.Of(now, history.TimeZone), LocalDay.Of(now, history.TimeZone, daysBack: 1)), WorkerJson.Options);
        }).RequireReadKey();

        // GET /api/crossings?camera=&limit=: the agent's latest events (crossings and zone events), newest first, as the
        // sinks receive them.
        app.MapGet("/api/crossings", (string? camera, int? limit, ICounterAgent agent) =>
        {
            try
            {
                return Results.Json(agent.GetRecentEvents(string.IsNullOrEmpty(camera) ? null : camera, limit ?? DefaultCrossings), WorkerJson.Options);
            }
            catch (ArgumentOutOfRangeException ex)
            {
                // The agent owns the bound (what it keeps); its message says it.
                return Results.Problem($"Query parameter 'limit' is out of range: {ex.Message}", statusCode: StatusCodes.Status400BadRequest);
            }
        }).RequireReadKey();
    }

    private sealed record Days(string TimeZone, LocalDay Today, LocalDay Yesterday);
}
