using System.Globalization;
using System.Text.Json;
using HgCounter.Configuration;
using HgCounter.Counting;
using HgCounter.Detection;
using HgCounter.Events;
using HgCounter.Health;
using HgCounter.Inference.Counting;
using HgCounter.Inference.Tracking;
using HgCounter.Reliability.Health;
using HgCounter.Reliability.Metrics;
using HgCounter.Reliability.Resources;
using HgCounter.Reliability.Watchdog;
using HgCounter.Rtsp.Connection;
using HgCounter.Rtsp.Sources;
using HgCounter.Runtime.Capacity;
using HgCounter.Runtime.Events;
using HgCounter.Runtime.Serialization;
using HgCounter.Runtime.Status;
using HgCounter.Snapshots;
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
internal sealed partial class CounterAgent : BackgroundService, ICounterAgent
{
    // The final report is read by people after a stop: the library's contract, indented.
    private static readonly HgCounterJsonContext FinalReportJson = new(new JsonSerializerOptions(HgCounterJsonContext.Default.Options) { WriteIndented = true });
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
    private readonly HgCounterMetrics? _metrics;
    private readonly ModelCapacityCheck _capacity;
    private readonly TaskCompletionSource _workersCreated = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private List<CameraWorker> _workers = [];
    private ThumbnailWriter? _thumbnails;
    private Task[] _loops = [];

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
        ILoggerFactory loggers,
        HgCounterMetrics? metrics = null)
    {
        _metrics = metrics;
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
        _capacity = new ModelCapacityCheck(_detectors, _options, loggers.CreateLogger<ModelCapacityCheck>(), metrics);
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

    /// <summary>
    /// Liveness: the agent runs and no camera loop has died or stopped making progress (a loop that finished its
    /// recording is fine). A camera that is offline is alive: its loop keeps retrying.
    /// </summary>
    public bool LoopsAlive
    {
        get
        {
            var now = _time.GetUtcNow();
            return ExecuteTask is { IsCompleted: false }
                && _workers.Count > 0
                && !_loops.Any(l => l.IsFaulted)
                && !_workers.Any(w => w.IsStuck(now, _options.Watchdog.StallTimeout));
        }
    }

    /// <summary>Cameras that delivered a frame within the stall timeout (readiness).</summary>
    public int CamerasDelivering => CurrentStatus.Cameras.Count(c => c.Health.Health == CameraHealth.Healthy);

    /// <inheritdoc />
    public IAsyncEnumerable<StatusSnapshot> WatchAsync(CancellationToken cancellationToken) => _status.WatchAsync(cancellationToken);

    /// <inheritdoc />
    public IReadOnlyList<CountEvent> GetRecentEvents(string? camera, int limit) => _outbox.RecentEvents.Latest(camera, limit);

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
    public async Task<bool> WaitForDeliveryAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        if (_options.Events.Sinks.Count == 0)
        {
            return true;
        }

        var deadline = _time.GetUtcNow() + timeout;
        while (_outbox.PendingCount > 0)
        {
            if (_time.GetUtcNow() >= deadline)
            {
                return false;
            }

            await Task.Delay(TimeSpan.FromMilliseconds(100), _time, cancellationToken);
        }

        return true;
    }

    /// <inheritdoc />
    public Task<int> RedrivePoisonedAsync(string? sinkName, CancellationToken cancellationToken) =>
        Task.Run(() => _outbox.RedrivePoisoned(sinkName), cancellationToken); // a SQLite transaction: off the caller's thread

    /// <summary>The crossing thumbnail writer; null while thumbnails are off or the cameras have not started.</summary>
    internal ThumbnailWriter? Thumbnails => _thumbnails;

    /// <summary>Frames the named camera's loop has copied for snapshots (zero while nobody asks); -1 when no such camera runs.</summary>
    internal long SnapshotCopies(string camera) =>
        _workers.FirstOrDefault(w => string.Equals(w.Name, camera, StringComparison.Ordinal))?.Snapshots.Copies ?? -1;

    /// <inheritdoc />
    public async Task<CameraSnapshot> GetSnapshotAsync(string camera, SnapshotOptions options, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(camera);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        var configured = _options.Cameras.FirstOrDefault(c => string.Equals(c.Name, camera, StringComparison.Ordinal))
            ?? throw new CameraNotFoundException(camera);
        var asked = _time.GetTimestamp();
        try
        {
            // Asked right after start: the loops are created on the agent's own thread, moments later.
            await _workersCreated.Task.WaitAsync(options.Timeout, _time, cancellationToken).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            throw new SnapshotUnavailableException(camera, "the agent has not started its cameras yet.");
        }

        var worker = _workers.First(w => string.Equals(w.Name, camera, StringComparison.Ordinal));
        // One deadline for the whole request, however long the start took.
        var left = options.Timeout - _time.GetElapsedTime(asked);
        using var capture = await worker.Snapshots.TakeAsync(left > TimeSpan.Zero ? left : TimeSpan.FromMilliseconds(1), !worker.IsFinished, cancellationToken).ConfigureAwait(false)
            ?? throw new SnapshotUnavailableException(camera, $"no frame processed yet (camera is {worker.GetStatus().Health.Health}).");
        var status = worker.GetStatus();
        // Drawing and JPEG encoding: milliseconds of CPU, on the thread pool, never on a camera loop.
        return await Task.Run(() => SnapshotRenderer.Render(camera, capture, configured, status, options), cancellationToken).ConfigureAwait(false);
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
    /// <exception cref="NativeRuntimeMissingException">OpenCV or (for the onnx detector) ONNX Runtime is not in the application.</exception>
    public override Task StartAsync(CancellationToken cancellationToken)
    {
        NativeRuntimeCheck.EnsureAvailable(_options); // before any camera loop: the host fails to start, naming the package
        return base.StartAsync(cancellationToken);
    }

    /// <inheritdoc />
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var thumbnails = _options.Events.Snapshots;
        if (thumbnails.Enabled)
        {
            _thumbnails = new ThumbnailWriter(thumbnails, thumbnails.GetDirectory(_options.Events.OutboxPath), _time, _loggers.CreateLogger<ThumbnailWriter>(), _metrics);
        }

        _workers = [.. _options.Cameras.Select((camera, index) => CreateWorker(camera, $"{HgCounterOptions.SectionName}:Cameras:{index}"))];
        _workersCreated.TrySetResult();
        _guard.Start();
        _health.Start();
        var uploader = _uploader.RunAsync(stoppingToken);
        _loops = [.. _workers.Select(w => Task.Run(() => w.RunAsync(stoppingToken, _hardStop.Token), CancellationToken.None))];
        _watchdog.StateChanged += OnCameraStateChanged;
        var publisher = PublishStatusAsync(stoppingToken);
        var capacity = Task.Run(() => CheckCapacity(stoppingToken), CancellationToken.None);
        LogStarted(_workers.Count, WorkerId);

        var all = Task.WhenAll(_loops);
        _ = all.ContinueWith(_ => _completion.TrySetResult(), TaskScheduler.Default);
        await Task.WhenAll(all, publisher, uploader, capacity);
    }

    /// <inheritdoc />
    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(_options.ShutdownTimeout);
        await using var hardStop = deadline.Token.Register(_hardStop.Cancel);
        await base.StopAsync(deadline.Token); // returns when the loops ended or at the deadline; it does not throw
        _watchdog.StateChanged -= OnCameraStateChanged;
        if (ExecuteTask is { IsCompleted: false })
        {
            LogStopTimedOut(_options.ShutdownTimeout);
        }

        for (var i = 0; i < _workers.Count; i++)
        {
            // A loop still inside a native call (decoder, detector) keeps its detector: freeing it under the loop could
            // crash the process. The process is ending; the OS reclaims it.
            if (i >= _loops.Length || _loops[i].IsCompleted)
            {
                await _workers[i].DisposeAsync();
            }
        }

        if (_thumbnails is not null)
        {
            await _thumbnails.DisposeAsync(); // writes the crops still queued, within a few seconds
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

    private CameraWorker CreateWorker(CameraOptions camera, string configurationKey)
    {
        CountingPipeline CreatePipeline()
        {
            var detector = CameraDetectors.Create(_detectors[camera.Detector], camera);
            var zones = camera.Zones.Count > 0 ? new ZoneCounter(camera.Name, camera.Zones) : null;
            return new CountingPipeline(detector, new ByteTracker(_options.Tracker), new LineCounter(camera.Name, camera.Lines), zones);
        }

        return new CameraWorker(camera, CreatePipeline, new CountEventMinter(WorkerId, EventIdScope(camera)), _sources, _watchdog, _guard, _outbox, _time, _loggers.CreateLogger($"HgCounter.Camera.{camera.Name}"), _metrics, configurationKey, _outbox.History, _thumbnails);
    }

    /// <summary>
    /// What scopes a camera's event ids. A recording read once replays the same frames after a crash, so its ids are
    /// scoped to the recording itself (path, size, modification time): a recount deduplicates, and the next recording
    /// counted under the same camera name gets ids of its own. Anything live or looping is scoped to this run of the
    /// agent, because track ids and frame numbers restart with the process and must never reuse an earlier id.
    /// </summary>
    private string EventIdScope(CameraOptions camera)
    {
        if (CameraWorker.RecordingLocation(camera) is not { } location)
        {
            return $"{WorkerId}/run:{_runId:N}";
        }

        if (location.FilePath is { } path)
        {
            var file = new FileInfo(path);
            return string.Create(CultureInfo.InvariantCulture, $"{WorkerId}/file:{file.FullName}:{file.Length}:{file.LastWriteTimeUtc.Ticks}");
        }

        return $"{WorkerId}/{location.Value}";
    }

    // Loads the models the loops are about to need anyway, so their cost (and a demand they cannot meet) shows at start.
    private void CheckCapacity(CancellationToken stoppingToken)
    {
        try
        {
            _capacity.Run(stoppingToken);
            Publish();
        }
#pragma warning disable CA1031 // A report must never stop the agent.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            LogCapacityCheckFailed(ex.Message);
        }
    }

    private void OnCameraStateChanged(object? sender, CameraStateChangedEventArgs e) => Publish();

    private async Task PublishStatusAsync(CancellationToken stoppingToken)
    {
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
        _outbox.PendingCount)
    {
        Models = _capacity.Models,
    });

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
            await File.WriteAllTextAsync(path, JsonSerializer.Serialize(report, FinalReportJson.FinalHealthReport), CancellationToken.None);
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

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not measure the detection models' cost: {Reason}")]
    private partial void LogCapacityCheckFailed(string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "Final health report written to {Path}.")]
    private partial void LogFinalReport(string path);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not write the final health report: {Reason}")]
    private partial void LogFinalReportFailed(string reason);
}
