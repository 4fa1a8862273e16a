using System.Text.Json;
using System.Text.Json.Serialization;
using HgCounter.Configuration;
using HgCounter.Detection;
using HgCounter.Health;
using HgCounter.Inference.Counting;
using HgCounter.Inference.Tracking;
using HgCounter.Reliability.Health;
using HgCounter.Reliability.Resources;
using HgCounter.Reliability.Watchdog;
using HgCounter.Rtsp.Connection;
using HgCounter.Rtsp.Sources;
using HgCounter.Runtime.Events;
using HgCounter.Runtime.Pipeline;
using HgCounter.Runtime.Status;
using HgCounter.Status;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace HgCounter.Runtime.Agent;

/// <summary>
/// The counting agent: one loop per camera, the resource and health monitors, the event uploader and the status
/// publisher. Stopping is graceful and bounded by <c>ShutdownTimeout</c>: loops stop, counted events are flushed to the
/// outbox, every child process ends, and a final health report is written to the data directory.
/// </summary>
public sealed partial class CounterAgent : BackgroundService, ICounterAgent
{
    private static readonly JsonSerializerOptions ReportJson = new(JsonSerializerDefaults.Web) { WriteIndented = true, Converters = { new JsonStringEnumConverter() } };
    private readonly HgCounterOptions _options;
    private readonly IFrameSourceFactory _sources;
    private readonly Dictionary<string, IDetectorFactory> _detectors;
    private readonly RtspWatchdog _watchdog;
    private readonly ResourceGuard _guard;
    private readonly HealthChecker _health;
    private readonly EventOutbox _outbox;
    private readonly OutboxUploader _uploader;
    private readonly TimeProvider _time;
    private readonly ILoggerFactory _loggers;
    private readonly ILogger _logger;
    private readonly StatusBroadcaster _status;
    private readonly TaskCompletionSource _completion = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly CancellationTokenSource _hardStop = new();
    private readonly Guid _runId = Guid.NewGuid();
    private List<CameraWorker> _workers = [];

    /// <summary>Creates the agent (resolved from DI by <c>AddHgCounter()</c>).</summary>
    public CounterAgent(
        IOptions<HgCounterOptions> options,
        IFrameSourceFactory sources,
        IEnumerable<IDetectorFactory> detectors,
        RtspWatchdog watchdog,
        ResourceGuard guard,
        HealthChecker health,
        EventOutbox outbox,
        OutboxUploader uploader,
        TimeProvider time,
        ILoggerFactory loggers)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(detectors);
        ArgumentNullException.ThrowIfNull(loggers);
        _options = options.Value;
        _sources = sources;
        _detectors = detectors.ToDictionary(d => d.Name, StringComparer.OrdinalIgnoreCase);
        _watchdog = watchdog;
        _guard = guard;
        _health = health;
        _outbox = outbox;
        _uploader = uploader;
        _time = time;
        _loggers = loggers;
        _logger = loggers.CreateLogger<CounterAgent>();
        WorkerId = WorkerIdentity.Resolve(_options.WorkerId);
        _status = new StatusBroadcaster(new StatusSnapshot(time.GetUtcNow(), WorkerId, [], null, null, 0));
        // Only events still in memory press on the machine; the backlog on disk during a backend outage is safe and must
        // not slow counting (its limit turns health Degraded instead, see OutboxHealthCheck).
        _outbox.PendingCountChanged += (_, _) => _guard.RecordQueueSize("outbox", _outbox.WaitingForDiskCount);
    }

    /// <summary>This worker's identity in events and status.</summary>
    public string WorkerId { get; }

    /// <inheritdoc />
    public StatusSnapshot CurrentStatus => _status.Current;

    /// <inheritdoc />
    public Task Completion => _completion.Task;

    /// <summary>True while every camera loop is running or has ended on purpose (liveness).</summary>
    public bool LoopsAlive => ExecuteTask is { IsCompleted: false } && _workers.Count > 0;

    /// <summary>Cameras that delivered a frame within the stall timeout (readiness).</summary>
    public int CamerasDelivering => CurrentStatus.Cameras.Count(c => c.Health.Health == CameraHealth.Healthy);

    /// <inheritdoc />
    public IAsyncEnumerable<StatusSnapshot> WatchAsync(CancellationToken cancellationToken) => _status.WatchAsync(cancellationToken);

    /// <inheritdoc />
    public bool RequestReconnect(string cameraName)
    {
        var worker = _workers.FirstOrDefault(w => string.Equals(w.Name, cameraName, StringComparison.Ordinal));
        if (worker is null || !_watchdog.RequestReconnect(cameraName))
        {
            return false;
        }

        worker.Kick();
        return true;
    }

    /// <inheritdoc />
    public async Task<ConnectionTestResult?> TestCameraAsync(string cameraName, CancellationToken cancellationToken)
    {
        var camera = _options.Cameras.FirstOrDefault(c => string.Equals(c.Name, cameraName, StringComparison.Ordinal));
        return camera is null
            ? null
            : await _sources.TestConnectionAsync(FrameSourceOptions.FromCamera(camera), camera.OpenTimeout, cancellationToken);
    }

    /// <inheritdoc />
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        _workers = [.. _options.Cameras.Select(CreateWorker)];
        _guard.Start();
        _health.Start();
        var uploader = _uploader.RunAsync(stoppingToken);
        var loops = _workers.Select(w => Task.Run(() => w.RunAsync(stoppingToken, _hardStop.Token), CancellationToken.None)).ToArray();
        var publisher = PublishStatusAsync(stoppingToken);
        LogStarted(_workers.Count, WorkerId);

        var all = Task.WhenAll(loops);
        _ = all.ContinueWith(_ => _completion.TrySetResult(), TaskScheduler.Default);
        await Task.WhenAll(all, publisher, uploader);
    }

    /// <inheritdoc />
    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(_options.ShutdownTimeout);
        await using var hardStop = deadline.Token.Register(_hardStop.Cancel);
        try
        {
            await base.StopAsync(deadline.Token);
        }
        catch (OperationCanceledException)
        {
            LogStopTimedOut(_options.ShutdownTimeout);
        }

        foreach (var worker in _workers)
        {
            await worker.DisposeAsync();
        }

        Publish();
        await _outbox.DisposeAsync(); // flushes what the camera loops enqueued
        await WriteFinalReportAsync(deadline.Token);
        _completion.TrySetResult();
    }

    /// <inheritdoc />
    public override void Dispose()
    {
        _hardStop.Dispose();
        base.Dispose();
    }

    private CameraWorker CreateWorker(CameraOptions camera)
    {
        CountingPipeline CreatePipeline()
        {
            var detector = _detectors[camera.Detector].Create(camera.Name);
            var counter = new LineCounter(camera.Name, camera.Lines, WorkerId, ReplaysIdentically(camera) ? WorkerId : $"{WorkerId}/{_runId:N}");
            return new CountingPipeline(detector, new ByteTracker(), counter);
        }

        return new CameraWorker(camera, CreatePipeline, _sources, _watchdog, _guard, _outbox, _time, _loggers.CreateLogger($"HgCounter.Camera.{camera.Name}"));
    }

    // A recording or generated scene read once replays the same frames after a restart, so its event ids may repeat
    // (and deduplicate a recount); anything live or looping gets ids scoped to this run, so they can never collide.
    private static bool ReplaysIdentically(CameraOptions camera) =>
        !camera.Loop && SourceLocation.TryParse(camera.Url, out var location, out _) && location.Kind is SourceKind.File or SourceKind.Synthetic;

    private async Task PublishStatusAsync(CancellationToken stoppingToken)
    {
        _watchdog.StateChanged += (_, _) => Publish();
        using var timer = new PeriodicTimer(_options.StatusInterval, _time);
        try
        {
            do
            {
                Publish();
            }
            while (await timer.WaitForNextTickAsync(stoppingToken));
        }
        catch (OperationCanceledException)
        {
        }
    }

    private void Publish() => _status.Publish(new StatusSnapshot(
        _time.GetUtcNow(),
        WorkerId,
        [.. _workers.Select(w => w.GetStatus())],
        _guard.GetMetrics(),
        _health.GetStatus(),
        _outbox.PendingCount));

    private async Task WriteFinalReportAsync(CancellationToken cancellationToken)
    {
        try
        {
            HealthSnapshot? health;
            try
            {
                health = await _health.RunChecksAsync(cancellationToken);
            }
            catch (OperationCanceledException)
            {
                health = _health.GetStatus();
            }

            var report = new FinalHealthReport(_time.GetUtcNow(), WorkerId, _watchdog.GetStatusSummary(), CurrentStatus, health);
            var path = Path.Combine(Path.GetFullPath(_options.DataDirectory), "final-health-report.json");
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            await File.WriteAllTextAsync(path, JsonSerializer.Serialize(report, ReportJson), CancellationToken.None);
            LogFinalReport(path);
        }
#pragma warning disable CA1031 // The report is best effort; failing to write it must not fail the stop.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            LogFinalReportFailed(ex.Message);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Counting {Cameras} camera(s) as worker {WorkerId}.")]
    private partial void LogStarted(int cameras, string workerId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Stop took longer than {Timeout}; remaining work was cancelled.")]
    private partial void LogStopTimedOut(TimeSpan timeout);

    [LoggerMessage(Level = LogLevel.Information, Message = "Final health report written to {Path}.")]
    private partial void LogFinalReport(string path);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not write the final health report: {Reason}")]
    private partial void LogFinalReportFailed(string reason);
}
