using HgCounter.Runtime;

namespace HgCounter.WorkerSample;

/// <summary>
/// Serialises each status snapshot once, for every <c>/api/events</c> client: the agent's watch runs here alone and
/// clients follow the latest frame (a slow client skips to the newest, it never queues old ones).
/// </summary>
internal sealed class StatusFeed(ICounterAgent agent, WorkerMode mode) : BackgroundService
{
    private volatile Frame _latest = new([]);

    /// <summary>The newest frame now, then each newer one; waits for the first when none yet.</summary>
    public async IAsyncEnumerable<byte[]> ReadAsync([System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var frame = _latest;
        if (frame.Json.Length == 0)
        {
            await frame.Next.Task.WaitAsync(cancellationToken);
            frame = _latest;
        }

        while (true)
        {
            yield return frame.Json;
            await frame.Next.Task.WaitAsync(cancellationToken);
            frame = _latest;
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            await foreach (var status in agent.WatchAsync(stoppingToken))
            {
                var frame = new Frame(WorkerJson.Status(status, mode.IsDemo));
                var previous = _latest;
                _latest = frame;
                previous.Next.TrySetResult();
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Host stopping.
        }
    }

    private sealed class Frame(byte[] json)
    {
        public byte[] Json { get; } = json;

        public TaskCompletionSource Next { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}
