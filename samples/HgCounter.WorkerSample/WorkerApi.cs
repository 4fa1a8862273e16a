using System.Net;
using System.Text.Json;
using HgCounter.Runtime;
using Microsoft.Extensions.Options;

namespace HgCounter.WorkerSample;

/// <summary>The worker's HTTP API: status, live events, the original's health report and the reconnect trigger.</summary>
internal static class WorkerApi
{
    public static void MapWorkerApi(this WebApplication app)
    {
        app.MapGet("/api/status", (ICounterAgent agent) => Results.Json(agent.CurrentStatus, WorkerJson.Options));
        app.MapGet("/health", (ICounterAgent agent) => Results.Json(agent.CurrentStatus.Health, WorkerJson.Options));
        app.MapGet("/api/events", StreamStatusAsync);
        app.MapGet("/api/cameras/{name}/test", async (string name, ICounterAgent agent, CancellationToken ct) =>
            await agent.TestCameraAsync(name, ct) is { } result ? Results.Json(result, WorkerJson.Options) : Results.NotFound());

        var access = app.Services.GetRequiredService<IOptions<WorkerAccessOptions>>().Value;
        var logger = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("HgCounter.WorkerSample.Access");
        var loopbackOnly = BoundToLoopbackOnly(app);
        var mutatingAllowed = !string.IsNullOrEmpty(access.ApiKey) || loopbackOnly;
        if (!mutatingAllowed)
        {
            logger.LogWarning("POST /api/cameras/{{name}}/reconnect is disabled: the worker listens beyond loopback and Worker:ApiKey is not set.");
        }

        app.MapPost("/api/cameras/{name}/reconnect", (string name, HttpRequest request, ICounterAgent agent) =>
        {
            if (!mutatingAllowed)
            {
                return Results.Problem("Disabled: set Worker:ApiKey to allow operator actions on a non-loopback address.", statusCode: StatusCodes.Status403Forbidden);
            }

            if (!string.IsNullOrEmpty(access.ApiKey) && request.Headers["X-Api-Key"] != access.ApiKey)
            {
                return Results.Unauthorized();
            }

            return agent.RequestReconnect(name) ? Results.Accepted() : Results.NotFound();
        });
    }

    private static async Task StreamStatusAsync(HttpContext context, ICounterAgent agent)
    {
        context.Response.Headers.ContentType = "text/event-stream";
        context.Response.Headers.CacheControl = "no-cache";
        await foreach (var status in agent.WatchAsync(context.RequestAborted))
        {
            await context.Response.WriteAsync("data: " + JsonSerializer.Serialize(status, WorkerJson.Options) + "\n\n", context.RequestAborted);
            await context.Response.Body.FlushAsync(context.RequestAborted);
        }
    }

    private static bool BoundToLoopbackOnly(WebApplication app)
    {
        var urls = (app.Configuration["urls"] ?? app.Configuration["ASPNETCORE_URLS"] ?? "http://127.0.0.1:5080")
            .Split(';', StringSplitOptions.RemoveEmptyEntries);
        return urls.All(url =>
        {
            var host = new Uri(url.Replace("*", "0.0.0.0", StringComparison.Ordinal).Replace("+", "0.0.0.0", StringComparison.Ordinal)).Host;
            return host == "localhost" || (IPAddress.TryParse(host.Trim('[', ']'), out var ip) && IPAddress.IsLoopback(ip));
        });
    }
}
