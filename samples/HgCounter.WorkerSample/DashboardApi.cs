using HgCounter.Runtime;

namespace HgCounter.WorkerSample;

/// <summary>What the dashboard needs beyond status and history: the history's local days and the latest crossings.</summary>
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

        // GET /api/crossings?camera=&limit=: the latest crossings, newest first.
        app.MapGet("/api/crossings", (string? camera, int? limit, RecentCrossings crossings) =>
            limit is < 1 or > RecentCrossings.Capacity
                ? Results.Problem($"Query parameter 'limit' must be 1 to {RecentCrossings.Capacity}.", statusCode: StatusCodes.Status400BadRequest)
                : Results.Json(crossings.Latest(string.IsNullOrEmpty(camera) ? null : camera, limit ?? DefaultCrossings), WorkerJson.Options)).RequireReadKey();
    }

    private sealed record Days(string TimeZone, LocalDay Today, LocalDay Yesterday);
}
