using HgCounter.Configuration;
using HgCounter.Counting;
using HgCounter.Events;
using HgCounter.Runtime.Events;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace HgCounter.Sinks.Mqtt.Tests;

/// <summary>The real outbox and uploader delivering through one <see cref="MqttSink"/>, with quick retries.</summary>
internal sealed class OutboxWithMqtt : IAsyncDisposable
{
    private static readonly DateTimeOffset Start = new(2026, 12, 3, 8, 0, 0, TimeSpan.Zero);
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _running;

    public OutboxWithMqtt(string outboxPath, string server, ILogger<MqttSink>? logger = null)
    {
        var options = new EventOptions { OutboxPath = outboxPath, BatchSize = 7 };
        Outbox = new EventOutbox(options, NullLogger<EventOutbox>.Instance, TimeProvider.System);
        var sinkOptions = new MqttSinkOptions { Server = server, Prefix = MqttAgentHost.Prefix, Timeout = TimeSpan.FromSeconds(5) };
        Sink = new MqttSink(sinkOptions, "outbox-worker", [], "HgCounter:Events:Sinks:0", logger ?? NullLogger<MqttSink>.Instance);
        var retry = new OutboxUploaderOptions { RetryBaseDelay = TimeSpan.FromMilliseconds(100), RetryMaxDelay = TimeSpan.FromSeconds(1) };
        Uploader = new OutboxUploader(Outbox, [Sink], options, retry, NullLogger<OutboxUploader>.Instance, TimeProvider.System);
        _running = Uploader.RunAsync(_stop.Token);
    }

    public EventOutbox Outbox { get; }

    public MqttSink Sink { get; }

    public OutboxUploader Uploader { get; }

    public static CountEvent NewEvent(int index) => new(
        Guid.NewGuid(), "door-cam", "entrance", index % 3 == 0 ? CrossingDirection.Out : CrossingDirection.In, 0, "person", 1000 + index, Start.AddMilliseconds(100 * index), "outbox-worker");

    /// <summary>Polls <paramref name="condition"/> until it holds or <paramref name="seconds"/> pass.</summary>
    public static async Task<bool> WaitUntilAsync(Func<bool> condition, double seconds)
    {
        var deadline = DateTime.UtcNow.AddSeconds(seconds);
        while (!condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                return false;
            }

            await Task.Delay(100);
        }

        return true;
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await _running.WaitAsync(Testing.TestContext.Timeout(60));
        Uploader.Dispose();
        await Sink.DisposeAsync();
        await Outbox.DisposeAsync();
        _stop.Dispose();
    }
}
