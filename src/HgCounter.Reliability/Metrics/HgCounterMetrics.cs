using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using HgCounter.Health;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using HgCounter.Diagnostics;
using HgCounter.Events;

namespace HgCounter.Reliability.Metrics;

/// <summary>
/// The <c>HgCounter</c> meter and its instruments (<c>hgcounter.&lt;area&gt;.&lt;thing&gt;</c>), created through
/// <see cref="IMeterFactory"/> so hosts collect them with OpenTelemetry or dotnet-counters. Per-camera values are tagged
/// <c>camera</c>; queue sizes <c>queue</c>; health <c>check</c>; detection models <c>detector</c>, <c>model</c> and
/// <c>provider</c>. Recording allocates nothing.
/// </summary>
public sealed class HgCounterMetrics
{
    /// <summary>The meter name (<see cref="HgCounterMeter.Name"/>).</summary>
    public const string MeterName = HgCounterMeter.Name;

    private readonly Counter<long> _framesProcessed;
    private readonly Counter<long> _framesDropped;
    private readonly Gauge<double> _fps;
    private readonly Counter<long> _reconnects;
    private readonly Gauge<int> _cameraState;
    private readonly Gauge<double> _cpu;
    private readonly Gauge<double> _memoryPercent;
    private readonly Gauge<long> _memoryUsed;
    private readonly Gauge<long> _queueSize;
    private readonly Gauge<int> _healthStatus;
    private readonly Counter<long> _crossings;
    private readonly Counter<long> _zoneEvents;
    private readonly Gauge<int> _zoneOccupancy;
    private readonly Counter<long> _thumbnailsDropped;
    private readonly ConcurrentDictionary<string, string> _classLabels = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, ModelFigures> _models = new(StringComparer.Ordinal);

    /// <summary>Creates the meter and instruments.</summary>
    public HgCounterMetrics(IMeterFactory meterFactory)
    {
        ArgumentNullException.ThrowIfNull(meterFactory);
        var meter = meterFactory.Create(MeterName);
        _framesProcessed = meter.CreateCounter<long>("hgcounter.frames.processed", "{frame}", "Frames run through detection.");
        _framesDropped = meter.CreateCounter<long>("hgcounter.frames.dropped", "{frame}", "Frames skipped (fps cap, throttling, latest-frame policy).");
        _fps = meter.CreateGauge<double>("hgcounter.camera.fps", "{frame}/s", "Processed frames per second.");
        _reconnects = meter.CreateCounter<long>("hgcounter.camera.reconnects", "{attempt}", "Reconnect attempts.");
        _cameraState = meter.CreateGauge<int>("hgcounter.camera.state", "{state}", "Camera health: 0 Starting, 1 Healthy, 2 Degraded, 3 Offline, 4 Reconnecting, 5 Finished.");
        _cpu = meter.CreateGauge<double>("hgcounter.resources.cpu", "%", "CPU use of the machine or container.");
        _memoryPercent = meter.CreateGauge<double>("hgcounter.resources.memory", "%", "Memory use as a percentage of the limit.");
        _memoryUsed = meter.CreateGauge<long>("hgcounter.resources.memory_used", "By", "Memory in use.");
        _queueSize = meter.CreateGauge<long>("hgcounter.queue.size", "{item}", "Queue length.");
        _crossings = meter.CreateCounter<long>("hgcounter.crossings", "{crossing}", "Line crossings counted (Prometheus: hgcounter_crossings_total).");
        _zoneEvents = meter.CreateCounter<long>("hgcounter.zone.events", "{event}", "Zone enters, exits and loiters (Prometheus: hgcounter_zone_events_total).");
        _zoneOccupancy = meter.CreateGauge<int>("hgcounter.zone.occupancy", "{object}", "Objects inside a zone now, per class (Prometheus: hgcounter_zone_occupancy).");
        _thumbnailsDropped = meter.CreateCounter<long>("hgcounter.thumbnails.dropped", "{thumbnail}", "Crossing thumbnails not written (writer behind, disk full); the events are counted regardless.");
        _healthStatus = meter.CreateGauge<int>("hgcounter.health.status", "{status}", "Health check result: 0 Unhealthy, 1 Degraded, 2 Healthy.");
        meter.CreateObservableGauge("hgcounter.detector.inference_cost", () => Observe(m => m.MillisecondsPerInference), "ms",
            "Median time of one inference of the model, measured when it loaded.");
        meter.CreateObservableGauge("hgcounter.detector.capacity", () => Observe(m => m.SustainableRate), "{inference}/s",
            "Inferences per second the model sustains here.");
        meter.CreateObservableGauge("hgcounter.detector.demand", () => Observe(m => m.DemandFps), "{frame}/s",
            "Frames per second the cameras using the model ask for.");
    }

    /// <summary>One frame of <paramref name="camera"/> was processed.</summary>
    public void RecordFrameProcessed(string camera) => _framesProcessed.Add(1, CameraTag(camera));

    /// <summary><paramref name="count"/> frames of <paramref name="camera"/> were skipped.</summary>
    public void RecordFramesDropped(string camera, long count) => _framesDropped.Add(count, CameraTag(camera));

    /// <summary>The processed frame rate of <paramref name="camera"/>.</summary>
    public void RecordFps(string camera, double fps) => _fps.Record(fps, CameraTag(camera));

    /// <summary>A crossing thumbnail of <paramref name="camera"/> was not written; the event itself is counted.</summary>
    public void RecordThumbnailDropped(string camera) => _thumbnailsDropped.Add(1, CameraTag(camera));

    /// <summary>A reconnect attempt of <paramref name="camera"/> began.</summary>
    public void RecordReconnect(string camera) => _reconnects.Add(1, CameraTag(camera));

    /// <summary>The health state of <paramref name="camera"/>.</summary>
    public void RecordCameraState(string camera, CameraHealth state) => _cameraState.Record((int)state, CameraTag(camera));

    /// <summary>CPU and memory of the machine or container.</summary>
    public void RecordResources(double cpuPercent, double memoryPercent, long memoryUsedBytes)
    {
        _cpu.Record(cpuPercent);
        _memoryPercent.Record(memoryPercent);
        _memoryUsed.Record(memoryUsedBytes);
    }

    /// <summary>Most distinct <c>class</c> values the crossing counter carries; any further class is counted as <c>other</c>.</summary>
    internal const int MaxCrossingClasses = 100;

    /// <summary>
    /// <paramref name="camera"/> counted a crossing of <paramref name="line"/>. Cameras and lines come from configuration and
    /// classes from the detector's (configured) class list; past <see cref="MaxCrossingClasses"/> classes, <c>other</c>.
    /// </summary>
    public void RecordCrossing(string camera, string line, string direction, string label) =>
        _crossings.Add(1, [CameraTag(camera), new("line", line), new("direction", direction), new("class", ClassTag(label))]);

    private string ClassTag(string label) =>
        _classLabels.TryGetValue(label, out var known) ? known
        : _classLabels.Count < MaxCrossingClasses ? _classLabels.GetOrAdd(label, label)
        : "other";

    /// <summary>
    /// <paramref name="camera"/> reported a zone event of <paramref name="kind"/> in <paramref name="zone"/>. Cameras and
    /// zones come from configuration, kinds are four, classes are bounded as for crossings.
    /// </summary>
    public void RecordZoneEvent(string camera, string zone, CountEventKind kind, string label) =>
        _zoneEvents.Add(1, [CameraTag(camera), new("zone", zone), new("kind", CountEventKindNames.Of(kind)), new("class", ClassTag(label))]);

    /// <summary><paramref name="count"/> objects of class <paramref name="label"/> are inside <paramref name="zone"/> of <paramref name="camera"/>.</summary>
    public void RecordZoneOccupancy(string camera, string zone, string label, int count) =>
        _zoneOccupancy.Record(count, [CameraTag(camera), new("zone", zone), new("class", ClassTag(label))]);

    /// <summary>The length of queue <paramref name="queue"/>.</summary>
    public void RecordQueueSize(string queue, long size) => _queueSize.Record(size, new KeyValuePair<string, object?>("queue", queue));

    /// <summary>The result of health check <paramref name="check"/>.</summary>
    public void RecordHealth(string check, HealthStatus status) => _healthStatus.Record((int)status, new KeyValuePair<string, object?>("check", check));

    /// <summary>
    /// The measured cost of the model behind detector <paramref name="detector"/>, what it sustains and what its cameras
    /// ask for; observed from then on by the <c>hgcounter.detector.*</c> gauges. A second call for the same detector and
    /// model replaces it; each model of a detector has its own series.
    /// </summary>
    public void RecordModelCost(string detector, string model, string provider, double millisecondsPerInference, double sustainableRate, double demandFps)
    {
        KeyValuePair<string, object?>[] tags = [new("detector", detector), new("model", model), new("provider", provider)];
        _models[$"{detector}\n{model}"] = new ModelFigures(tags, millisecondsPerInference, sustainableRate, demandFps);
    }

    private IEnumerable<Measurement<double>> Observe(Func<ModelFigures, double> value) =>
        [.. _models.Values.Select(m => new Measurement<double>(value(m), m.Tags))];

    private static KeyValuePair<string, object?> CameraTag(string camera) => new("camera", camera);

    private sealed record ModelFigures(KeyValuePair<string, object?>[] Tags, double MillisecondsPerInference, double SustainableRate, double DemandFps);
}
