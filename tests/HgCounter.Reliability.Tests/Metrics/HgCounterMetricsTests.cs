using System.Diagnostics.Metrics;
using HgCounter.Health;
using HgCounter.Reliability.Metrics;
using HgCounter.Reliability.Resources;
using HgCounter.Reliability.Watchdog;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace HgCounter.Reliability.Tests.Metrics;

public sealed class HgCounterMetricsTests : IDisposable
{
    private readonly MeterListener _listener = new();
    private readonly List<(string Instrument, string? Unit, double Value, string? Tag)> _measurements = [];
    private readonly Lock _lock = new();

    public HgCounterMetricsTests()
    {
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (instrument.Meter.Name == HgCounterMetrics.MeterName)
            {
                listener.EnableMeasurementEvents(instrument);
            }
        };
        _listener.SetMeasurementEventCallback<long>((i, v, tags, _) => Add(i, v, tags));
        _listener.SetMeasurementEventCallback<int>((i, v, tags, _) => Add(i, v, tags));
        _listener.SetMeasurementEventCallback<double>((i, v, tags, _) => Add(i, v, tags));
        _listener.Start();
    }

    public void Dispose() => _listener.Dispose();

    private void Add(Instrument instrument, double value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        var tag = tags.Length > 0 ? tags[0].Value?.ToString() : null;
        lock (_lock)
        {
            _measurements.Add((instrument.Name, instrument.Unit, value, tag));
        }
    }

    [Fact]
    public void Components_FromDependencyInjection_PublishHgCounterInstrumentsWithUnitsAndCameraTags()
    {
        var services = new ServiceCollection();
        services.AddSingleton<TimeProvider>(new FakeTimeProvider());
        services.AddHgCounterReliability();
        using var provider = services.BuildServiceProvider();
        var guard = provider.GetRequiredService<ResourceGuard>();
        var watchdog = provider.GetRequiredService<RtspWatchdog>();
        var metrics = provider.GetRequiredService<HgCounterMetrics>();

        guard.RecordFrame("door");
        guard.RecordQueueSize("outbox", 12);
        watchdog.Register("door");
        watchdog.MarkFrameReceived("door", 1);
        metrics.RecordFramesDropped("door", 4);

        lock (_lock)
        {
            _measurements.Should().Contain(("hgcounter.frames.processed", "{frame}", 1, "door"));
            _measurements.Should().Contain(("hgcounter.frames.dropped", "{frame}", 4, "door"));
            _measurements.Should().Contain(("hgcounter.queue.size", "{item}", 12, "outbox"));
            _measurements.Should().Contain(("hgcounter.camera.state", "{state}", (int)CameraHealth.Healthy, "door"));
        }
    }

    [Fact]
    public void Watchdog_ReconnectAttempt_CountedPerCamera()
    {
        using var factory = new ServiceCollection().AddMetrics().BuildServiceProvider();
        var metrics = new HgCounterMetrics(factory.GetRequiredService<IMeterFactory>());
        var time = new FakeTimeProvider();
        using var watchdog = new RtspWatchdog(new HgCounter.Configuration.WatchdogOptions { UseJitter = false }, time, metrics: metrics);
        watchdog.Register("yard");
        for (var i = 0; i < 3; i++)
        {
            watchdog.MarkFrameFailed("yard", "eof");
        }

        time.Advance(TimeSpan.FromSeconds(1));
        watchdog.TryBeginReconnect("yard");

        lock (_lock)
        {
            _measurements.Should().Contain(("hgcounter.camera.reconnects", "{attempt}", 1, "yard"));
            _measurements.Should().Contain(("hgcounter.camera.state", "{state}", (int)CameraHealth.Offline, "yard"));
        }
    }
}
