using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using HgCounter.Runtime;
using Microsoft.Extensions.Options;

namespace HgCounter.WorkerSample;

/// <summary>The worker's HTTP API: status, live events, the original's health report and the operator actions.</summary>
internal static class WorkerApi
{
    public static void MapWorkerApi(this WebApplication app)
    {
        app.MapGet("/api/status", (ICounterAgent agent) => Results.Json(agent.CurrentStatus, WorkerJson.Options));
        app.MapGet("/health", (ICounterAgent agent) => Results.Json(agent.CurrentStatus.Health, WorkerJson.Options));
        app.MapGet("/api/events", StreamStatusAsync);

        var access = app.Services.GetRequiredService<IOptions<WorkerAccessOptions>>().Value;
        var logger = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("HgCounter.WorkerSample.Access");
        if (string.IsNullOrEmpty(access.ApiKey))
        {
            logger.LogInformation("Worker:ApiKey is not set: operator actions (reconnect, connection test) are accepted from this machine only.");
        }

        // Starts ffprobe or opens a device: one at a time, operators only.
        var testGate = new SemaphoreSlim(1, 1);
        app.MapGet("/api/cameras/{name}/test", async (string name, HttpContext context, ICounterAgent agent) =>
        {
            if (Deny(context, access) is { } denied)
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

        app.MapPost("/api/cameras/{name}/reconnect", (string name, HttpContext context, ICounterAgent agent) =>
            Deny(context, access) ?? (agent.RequestReconnect(name) ? Results.Accepted() : Results.NotFound()));
    }

    /// <summary>
    /// Operator actions: with <c>Worker:ApiKey</c> set, the request must carry it in <c>X-Api-Key</c>; without a key, only
    /// requests from this machine are accepted (decided per request from the connection, not from configuration), and
    /// never from a web page of another origin.
    /// </summary>
    private static IResult? Deny(HttpContext context, WorkerAccessOptions access)
    {
        if (!string.IsNullOrEmpty(access.ApiKey))
        {
            var given = Encoding.UTF8.GetBytes(context.Request.Headers["X-Api-Key"].ToString());
            return CryptographicOperations.FixedTimeEquals(given, Encoding.UTF8.GetBytes(access.ApiKey)) ? null : Results.Unauthorized();
        }

        if (context.Connection.RemoteIpAddress is not { } remote || !IPAddress.IsLoopback(remote))
        {
            return Results.Problem("Operator actions from other machines need Worker:ApiKey to be set.", statusCode: StatusCodes.Status403Forbidden);
        }

        var origin = context.Request.Headers.Origin.ToString();
        if (origin.Length > 0 && !string.Equals(new Uri(origin, UriKind.Absolute).Authority, context.Request.Host.Value, StringComparison.OrdinalIgnoreCase))
        {
            return Results.Problem("Cross-origin operator actions are refused.", statusCode: StatusCodes.Status403Forbidden);
        }

        return null;
    }

    private static async Task StreamStatusAsync(HttpContext context, ICounterAgent agent, IHostApplicationLifetime lifetime)
    {
        // End the stream when the host stops, or an open dashboard would hold the shutdown until its deadline.
        using var stream = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted, lifetime.ApplicationStopping);
        context.Response.Headers.ContentType = "text/event-stream";
        context.Response.Headers.CacheControl = "no-cache";
        try
        {
            await foreach (var status in agent.WatchAsync(stream.Token))
            {
                await context.Response.WriteAsync("data: " + JsonSerializer.Serialize(status, WorkerJson.Options) + "\n\n", stream.Token);
                await context.Response.Body.FlushAsync(stream.Token);
            }
        }
        catch (OperationCanceledException)
        {
            // Client gone or host stopping.
        }
    }
}
