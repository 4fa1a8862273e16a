using System.Globalization;
using HgCounter.Runtime;
using Microsoft.Extensions.Options;

namespace HgCounter.WorkerSample;

/// <summary>The worker's HTTP API: status, live events, the original's health report and the operator actions.</summary>
internal static class WorkerApi
{
    private static readonly byte[] EventPrefix = "data: "u8.ToArray();
    private static readonly byte[] EventEnd = "\n\n"u8.ToArray();

    public static void MapWorkerApi(this WebApplication app)
    {
        var access = app.Services.GetRequiredService<IOptions<WorkerAccessOptions>>().Value;
        var binding = app.Services.GetRequiredService<WorkerBinding>();
        var mode = app.Services.GetRequiredService<WorkerMode>();
        var logger = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("HgCounter.WorkerSample.Access");
        LogAccess(logger, access, binding);

        app.MapGet("/api/status", (ICounterAgent agent) => Results.Bytes(WorkerJson.Status(agent.CurrentStatus, mode.IsDemo), "application/json")).RequireReadKey();
        app.MapGet("/health", (ICounterAgent agent) => Results.Json(agent.CurrentStatus.Health, WorkerJson.Options)).RequireReadKey();
        app.MapGet("/api/counts", CountsEndpoint.HandleAsync).RequireReadKey();
        app.MapGet("/api/cameras/{name}/snapshot.jpg", SnapshotEndpoint.HandleAsync).RequireReadKey();
        app.MapGet("/api/snapshots/{id}.jpg", ThumbnailEndpoint.Handle).RequireReadKey();
        var streams = new EventStreamLimit(access.MaxEventStreams);
        app.MapGet("/api/events", (HttpContext context, StatusFeed feed, IHostApplicationLifetime lifetime) => StreamStatusAsync(context, feed, lifetime, streams)).RequireReadKey();

        var operators = new OperatorAccess(access, binding);

        // Starts ffprobe or opens a device: one at a time, operators only. POST: it does work, and a page of another
        // origin cannot send it without a preflight the worker never grants.
        var testGate = new SemaphoreSlim(1, 1);
        app.MapPost("/api/cameras/{name}/test", async (string name, HttpContext context, ICounterAgent agent) =>
        {
            if (operators.Deny(context) is { } denied)
            {
                return denied;
            }

            if (!await testGate.WaitAsync(TimeSpan.Zero, context.RequestAborted))
            {
                return Results.Problem("A connection test is already running.", statusCode: StatusCodes.Status429TooManyRequests);
            }

            try
            {
                return await agent.TestCameraAsync(name, context.RequestAborted) is { } result ? Results.Json(result, WorkerJson.Options) : Results.NotFound();
            }
            finally
            {
                testGate.Release();
            }
        });

        var throttle = new ReconnectThrottle(access.ReconnectInterval, app.Services.GetRequiredService<TimeProvider>());
        app.MapPost("/api/cameras/{name}/reconnect", (string name, HttpContext context, ICounterAgent agent) =>
        {
            if (operators.Deny(context) is { } denied)
            {
                return denied;
            }

            if (!agent.CurrentStatus.Cameras.Any(c => c.Name == name))
            {
                return Results.NotFound();
            }

            if (!throttle.TryAcquire(name, out var retryAfter))
            {
                context.Response.Headers.RetryAfter = Math.Ceiling(retryAfter.TotalSeconds).ToString(CultureInfo.InvariantCulture);
                return Results.Problem($"Camera '{name}' was reconnected less than Worker:ReconnectInterval ago (a reconnect resets its tracks).", statusCode: StatusCodes.Status429TooManyRequests);
            }

            return agent.RequestReconnect(name) ? Results.Accepted() : Results.NotFound();
        });

        // Moves events set aside as poison back to pending (all sinks, or ?sink=NAME), once the backend is fixed.
        app.MapPost("/api/events/redrive", async (string? sink, HttpContext context, ICounterAgent agent) =>
        {
            if (operators.Deny(context) is { } denied)
            {
                return denied;
            }

            var moved = await agent.RedrivePoisonedAsync(sink, context.RequestAborted);
            return Results.Json(new RedriveResult(moved), WorkerJson.Options);
        });
    }

    private sealed record RedriveResult(int Moved);

    private static void LogAccess(ILogger logger, WorkerAccessOptions access, WorkerBinding binding)
    {
        if (string.IsNullOrEmpty(access.ApiKey))
        {
            if (binding.IsLoopbackOnly)
            {
                logger.LogInformation("Worker:ApiKey is not set: operator actions (reconnect, connection test) are accepted from this machine only, never through a proxy.");
            }
            else
            {
                logger.LogWarning("The worker listens beyond loopback ({Hosts}) and Worker:ApiKey is not set: operator actions (reconnect, connection test) are refused.", string.Join(", ", binding.Hosts));
            }
        }

        if (string.IsNullOrEmpty(access.ReadKey) && !binding.IsLoopbackOnly)
        {
            logger.LogWarning("Worker:ReadKey is not set: /api/status, /api/events, /health and /metrics (camera hosts, paths, ffmpeg output) are open to anyone who reaches {Hosts}.", string.Join(", ", binding.Hosts));
        }
    }

    private static async Task StreamStatusAsync(HttpContext context, StatusFeed feed, IHostApplicationLifetime lifetime, EventStreamLimit streams)
    {
        using var slot = streams.TryEnter();
        if (slot is null)
        {
            context.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
            context.Response.Headers.RetryAfter = "5";
            await context.Response.WriteAsync("Too many /api/events streams are open (Worker:MaxEventStreams).");
            return;
        }

        // End the stream when the host stops, or an open dashboard would hold the shutdown until its deadline.
        using var stream = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted, lifetime.ApplicationStopping);
        context.Response.Headers.ContentType = "text/event-stream";
        context.Response.Headers.CacheControl = "no-cache";
        try
        {
            await foreach (var json in feed.ReadAsync(stream.Token))
            {
                await context.Response.Body.WriteAsync(EventPrefix, stream.Token);
                await context.Response.Body.WriteAsync(json, stream.Token);
                await context.Response.Body.WriteAsync(EventEnd, stream.Token);
                await context.Response.Body.FlushAsync(stream.Token);
            }
        }
        catch (OperationCanceledException)
        {
            // Client gone or host stopping.
        }
    }
}
