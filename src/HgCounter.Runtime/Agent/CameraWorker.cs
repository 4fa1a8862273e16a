using HgCounter.Configuration;
using HgCounter.Counting;
using HgCounter.Events;
using HgCounter.Frames;
using HgCounter.Health;
using HgCounter.Inference.Counting;
using HgCounter.Reliability.Metrics;
using HgCounter.Reliability.Resources;
using HgCounter.Reliability.Watchdog;
using HgCounter.Rtsp.Sources;
using HgCounter.Runtime.Events;
using HgCounter.Runtime.History;
using HgCounter.Security;
using HgCounter.Snapshots;
using HgCounter.Status;
using HgCounter.Tracking;
using Microsoft.Extensions.Logging;

namespace HgCounter.Runtime.Agent;

/// <summary>
/// One camera's loop: open → (pace → read → watchdog → process → enqueue events)* → on failure, let the watchdog decide
/// when to reconnect (immediately while Degraded, with backoff once Offline), trying fallback URLs in turn.
/// A fault here never leaves this camera's loop, so other cameras are never affected.
/// </summary>
internal sealed partial class CameraWorker : IAsyncDisposable
{
    private static readonly TimeSpan WaitPoll = TimeSpan.FromMilliseconds(200);
    private static readonly TimeSpan StuckMargin = TimeSpan.FromSeconds(30);
    private readonly CameraOptions _camera;
    private readonly string _configurationKey;
    private readonly Func<CountingPipeline> _createPipeline;
    private readonly CountEventMinter _minter;
    private readonly IReadOnlyList<LineCount> _noCounts;
    private readonly IReadOnlyList<ZoneOccupancy> _noOccupancy;
    private CountingPipeline? _pipeline;
    private readonly IFrameSourceFactory _sources;
    private readonly RtspWatchdog _watchdog;
    private readonly ResourceGuard _guard;
    private readonly EventOutbox _outbox;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly List<LineCrossing> _crossings = new(16);
    private readonly List<ZoneEvent> _zoneEvents = new(16);
    private readonly List<CountEvent> _events = new(16);
    private readonly ThumbnailWriter? _thumbnails;
    // Ids of the events whose crop the thumbnail writer accepted, until they are minted (one frame's worth).
    private readonly HashSet<Guid> _thumbnailed = [];
    private readonly Lock _sessionLock = new();
    private CancellationTokenSource? _session;
    private long _skipped;
    private long _droppedBySources;
    private long _reconnects;
    private long _eventsNotEnqueued;
    private long _heartbeatTicks;
    private readonly HgCounterMetrics? _metrics;
    private readonly CameraCoverage? _coverage;
    private IFrameSource? _current;
    // The URL of the last connection that opened, redacted: the watchdog knows only the configured URL, not a fallback in use.
    private volatile string? _openedSource;

    // createPipeline builds the detector, tracker and counter. It is called inside the loop, so a model that fails to
    // load fails this camera (with its reason, retried with backoff), never the agent or the other cameras. minter turns
    // the pipeline's crossings into events. configurationKey names the camera in errors (HgCounter:Cameras:0).
    public CameraWorker(CameraOptions camera, Func<CountingPipeline> createPipeline, CountEventMinter minter, IFrameSourceFactory sources, RtspWatchdog watchdog, ResourceGuard guard, EventOutbox outbox, TimeProvider time, ILogger logger, HgCounterMetrics? metrics = null, string? configurationKey = null, CountHistoryStore? history = null, ThumbnailWriter? thumbnails = null)
    {
        _thumbnails = thumbnails;
        _coverage = history is null ? null : new CameraCoverage(camera.Name, camera.TargetFps, history);
        _configurationKey = configurationKey ?? $"{HgCounterOptions.SectionName}:Cameras:{camera.Name}";
        _metrics = metrics;
        _camera = camera;
        _createPipeline = createPipeline;
        _minter = minter;
        _noCounts = [.. camera.Lines.Select(l => new LineCount(l.Name, 0, 0, new Dictionary<string, DirectionCount>()))];
        _noOccupancy = [.. camera.Zones.Select(z => new ZoneOccupancy(z.Name, 0, z.Classes.Distinct(StringComparer.OrdinalIgnoreCase).ToDictionary(c => c, _ => 0, StringComparer.OrdinalIgnoreCase)))];
        _sources = sources;
        _watchdog = watchdog;
        _guard = guard;
        _outbox = outbox;
        _time = time;
        _logger = logger;
        _heartbeatTicks = time.GetUtcNow().UtcTicks;
        Snapshots = new SnapshotSlot(time);
        _watchdog.Register(camera.Name, camera.Url);
        _guard.SetTargetFps(camera.Name, camera.TargetFps);
    }

    public string Name => _camera.Name;

    public CameraOptions Options => _camera;

    /// <summary>Where the loop hands frames over to snapshot requests (only when one is waiting).</summary>
    public SnapshotSlot Snapshots { get; }

    /// <summary>Set when the loop has ended for good (finished file or stop).</summary>
    public bool IsFinished { get; private set; }

    /// <summary>Last time the loop made progress (a frame, a failure, a wait), for liveness.</summary>
    public DateTimeOffset LastHeartbeat => new(Interlocked.Read(ref _heartbeatTicks), TimeSpan.Zero);

    /// <summary>Events counted but not handed to the outbox (full or broken disk, stop deadline); each one is logged.</summary>
    public long EventsNotEnqueued => Interlocked.Read(ref _eventsNotEnqueued);

    /// <summary>
    /// True when the loop has made no progress for longer than any of its bounded waits allows (open, read, stall):
    /// a stuck loop, which liveness reports so an orchestrator restarts the process.
    /// </summary>
    public bool IsStuck(DateTimeOffset now, TimeSpan stallTimeout) =>
        !IsFinished && now - LastHeartbeat > Max(_camera.OpenTimeout, _camera.ReadTimeout, stallTimeout) + StuckMargin;

    private static TimeSpan Max(TimeSpan a, TimeSpan b, TimeSpan c) => TimeSpan.FromTicks(Math.Max(a.Ticks, Math.Max(b.Ticks, c.Ticks)));

    public CameraStatus GetStatus()
    {
        var health = _watchdog.GetCamera(_camera.Name)
            ?? new CameraHealthInfo(_camera.Name, CameraHealth.Starting, 0, null, null, 0, null, Redactor.Redact(_camera.Url));
        if (_openedSource is { } opened && !string.Equals(opened, health.Source, StringComparison.Ordinal))
        {
            health = health with { Source = opened };
        }

        var dropped = Interlocked.Read(ref _skipped) + Interlocked.Read(ref _droppedBySources) + (_current?.DroppedFrames ?? 0);
        var pipeline = Volatile.Read(ref _pipeline);
        return new CameraStatus(_camera.Name, health, _guard.GetFps(_camera.Name), pipeline?.FramesProcessed ?? 0, dropped, Interlocked.Read(ref _reconnects), pipeline?.GetCounts() ?? _noCounts)
        {
            Zones = pipeline?.GetOccupancy() ?? _noOccupancy,
        };
    }

    /// <summary>Drops the current connection so the loop reconnects now (the watchdog's backoff is reset by the caller).</summary>
    public void Kick()
    {
        lock (_sessionLock)
        {
            _session?.Cancel();
        }
    }

    /// <summary>Runs until cancelled or until a finite source ends. Never throws: every fault is reported to the watchdog.</summary>
    public async Task RunAsync(CancellationToken stoppingToken, CancellationToken enqueueToken)
    {
        var attempt = 0;
        var reconnecting = false;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                if (await RunSessionAsync(attempt, reconnecting, stoppingToken, enqueueToken))
                {
                    break;
                }

                reconnecting = await WaitForNextAttemptAsync(stoppingToken);
            }
#pragma warning disable CA1031 // The loop itself must never die: a dead loop is a camera that never comes back.
            catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
#pragma warning restore CA1031
            {
                LogLoopFault(_camera.Name, Redact(ex));
                await DelayAsync(WaitPoll, stoppingToken);
                reconnecting = false;
            }

            attempt++;
        }

        _coverage?.Break(); // hands over the coverage gathered since the last push
        IsFinished = true;
    }

    /// <summary>One connection: open, read until failure or end. Returns true when the camera is done for good.</summary>
    private async Task<bool> RunSessionAsync(int attempt, bool reconnecting, CancellationToken stoppingToken, CancellationToken enqueueToken)
    {
        using var session = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
        _coverage?.Break(); // the time between connections was not counted
        lock (_sessionLock)
        {
            _session = session;
        }

        var opened = false;
        var framesRead = 0L;
        IFrameSource? source = null;
        try
        {
            var pipeline = _pipeline ??= CreatePipeline();
            // The decoder delivers only the frames the guard would let through, at the size the detector uses.
            var options = FrameSourceOptions.FromCamera(_camera, attempt, _guard.GetCeilingFps(_camera.Name), pipeline.PreferredFrameSize);
            source = _sources.Create(options);
            _current = source;
            var info = await source.OpenAsync(session.Token);
            _openedSource = Redactor.Redact(options.Url);
            LineFrameCheck.Check(_configurationKey, _camera, info);
            ZoneFrameCheck.Check(_configurationKey, _camera, info);
            opened = true;
            Heartbeat();
            if (reconnecting)
            {
                _watchdog.ReconnectSucceeded(_camera.Name);
                Interlocked.Increment(ref _reconnects);
                pipeline.ResetTracks();
                LogReconnected(_camera.Name, source.DisplayName);
            }

            await ReadUntilEndAsync(source, pipeline, () => framesRead++, session.Token, enqueueToken);
            _watchdog.MarkFinished(_camera.Name);
            LogFinished(_camera.Name);
            return true;
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            return true;
        }
        catch (OperationCanceledException)
        {
            // Kick(): drop this connection and go round again. An attempt the watchdog started must be closed, or the
            // camera would stay Reconnecting for ever; the pending manual request makes the next attempt due at once.
            if (reconnecting && !opened)
            {
                _watchdog.ReconnectFailed(_camera.Name, CameraFailureReason.ReconnectRequested, "reconnect requested by an operator");
            }

            LogManualReconnect(_camera.Name);
            return false;
        }
#pragma warning disable CA1031 // A camera must survive any fault (source, detector, model, bug) and keep retrying.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            var message = ex is FrameSourceException or CameraConfigurationException ? ex.Message : Redact(ex);
            var kind = (ex as FrameSourceException)?.Kind ?? FrameSourceErrorKind.Unknown;
            var reason = ex is CameraConfigurationException ? CameraFailureReason.InvalidSource : kind.ToFailureReason();
            Fail(reconnecting && !opened, reason, message);
            LogSourceFailed(_camera.Name, kind, message);
            if (framesRead > 0 && IsRecording(_camera))
            {
                // A recording that breaks mid-way (truncated, corrupt) would be recounted from its first frame on every
                // reopen; it ends here instead, with the reason kept in its health.
                _watchdog.MarkFinished(_camera.Name);
                LogFinished(_camera.Name);
                return true;
            }

            return false;
        }
        finally
        {
            lock (_sessionLock)
            {
                _session = null;
            }

            if (source is not null)
            {
                var dropped = source.DroppedFrames;
                Interlocked.Add(ref _droppedBySources, dropped);
                _metrics?.RecordFramesDropped(_camera.Name, dropped);
                _current = null;
                await source.DisposeAsync();
            }
        }
    }

    private CountingPipeline CreatePipeline()
    {
        var pipeline = _createPipeline();
        pipeline.FrameCounted = _thumbnails is null ? Snapshots.Offer : OnFrameCounted;
        return pipeline;
    }

    // Runs on the loop while the frame is still alive: copies each crossing object's box (no encoding) for the writer.
    private void OnFrameCounted(Frame frame, IReadOnlyList<Track> tracks)
    {
        Snapshots.Offer(frame, tracks);
        var sequence = Volatile.Read(ref _pipeline)?.FramesProcessed ?? 0;
        for (var i = _crossings.Count - 1; i >= 0 && _crossings[i].FrameSequence == sequence; i--)
        {
            var crossing = _crossings[i];
            for (var t = 0; t < tracks.Count; t++)
            {
                if (tracks[t].Id != crossing.TrackId)
                {
                    continue;
                }

                var id = _minter.IdOf(crossing);
                if (ThumbnailCrop.TryCopy(frame, tracks[t].Box, id, out var crop) && _thumbnails!.TryEnqueue(crop))
                {
                    _thumbnailed.Add(id);
                }

                break;
            }
        }
    }

    /// <summary>A recording or generated scene read once: it ends, and replays the same frames if read again.</summary>
    public static bool IsRecording(CameraOptions camera) => RecordingLocation(camera) is not null;

    /// <summary>The camera's location when it is a recording (see <see cref="IsRecording"/>), else <c>null</c>.</summary>
    public static SourceLocation? RecordingLocation(CameraOptions camera) =>
        !camera.Loop && SourceLocation.TryParse(camera.Url, out var location, out _) && location.Kind is SourceKind.File or SourceKind.Synthetic
            ? location
            : null;

    private string Redact(Exception ex) => Redactor.RedactWith($"{ex.GetType().Name}: {ex.Message}", Redactor.SecretsOf(_camera.Url));

    private void Fail(bool reconnectAttempt, CameraFailureReason reason, string message)
    {
        if (reconnectAttempt)
        {
            _watchdog.ReconnectFailed(_camera.Name, reason, message);
        }
        else
        {
            _watchdog.MarkFrameFailed(_camera.Name, reason, message);
        }

        Heartbeat();
    }

    /// <summary>Reads and processes frames until a finite source ends; failures throw.</summary>
    private async Task ReadUntilEndAsync(IFrameSource source, CountingPipeline pipeline, Action frameRead, CancellationToken token, CancellationToken enqueueToken)
    {
        try
        {
            await ReadFramesAsync(source, pipeline, frameRead, token, enqueueToken);
        }
        finally
        {
            await FinishInFlightAsync(pipeline, enqueueToken);
        }
    }

    private async Task ReadFramesAsync(IFrameSource source, CountingPipeline pipeline, Action frameRead, CancellationToken token, CancellationToken enqueueToken)
    {
        // Live streams and looping files are cameras: under pressure, skip frames. A recording played once is counted in
        // full (its decoder already delivers only TargetFps): under pressure it plays slower, it drops nothing.
        var mayDrop = source.Info?.IsLive != false || (_camera.Loop && _camera.Realtime);
        while (true)
        {
            var frame = await source.ReadAsync(token);
            if (frame is null)
            {
                return;
            }

            var handedOver = false;
            try
            {
                Heartbeat();
                frameRead();
                if (_watchdog.MarkFrameReceived(_camera.Name, FrameContentHash.Compute(frame.Pixels)) == FrameVerdict.Frozen)
                {
                    // Frames arrive but the watchdog declared the camera frozen: reconnect.
                    throw new FrameSourceException(FrameSourceErrorKind.Frozen, source.DisplayName, "the picture is frozen (identical frames).");
                }

                if (mayDrop && !_guard.ShouldProcessFrame(_camera.Name))
                {
                    Interlocked.Increment(ref _skipped);
                    _metrics?.RecordFramesDropped(_camera.Name, 1);
                    continue;
                }

                _guard.RecordFrame(_camera.Name);
                _coverage?.FrameProcessed(frame.Timestamp);
                _crossings.Clear();
                _zoneEvents.Clear();
                // The pipeline owns the frame from here and disposes it once it has been counted.
                handedOver = true;
                if (await pipeline.SubmitAsync(frame, _crossings, _zoneEvents) > 0)
                {
                    await EnqueueAsync(enqueueToken);
                }
            }
            finally
            {
                if (!handedOver)
                {
                    frame.Dispose();
                }
            }
        }
    }

    // Frames still in detection when the connection ends (end of file, failure, stop) were real frames: count them.
    // After a detection failure the rest are released uncounted; the failure itself is reported by the caller.
    private async Task FinishInFlightAsync(CountingPipeline pipeline, CancellationToken enqueueToken)
    {
        if (pipeline.InFlight == 0)
        {
            return;
        }

        _crossings.Clear();
        _zoneEvents.Clear();
        try
        {
            await pipeline.DrainAsync(_crossings, _zoneEvents);
        }
#pragma warning disable CA1031 // Never replaces the connection's own outcome.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            LogLoopFault(_camera.Name, Redact(ex));
            await pipeline.AbandonAsync();
        }

        if (_crossings.Count > 0 || _zoneEvents.Count > 0)
        {
            await EnqueueAsync(enqueueToken);
        }
    }

    private async Task EnqueueAsync(CancellationToken enqueueToken)
    {
        _events.Clear();
        _minter.MintAll(_crossings, _events, _zoneEvents);
        if (_thumbnailed.Count > 0)
        {
            for (var i = 0; i < _events.Count; i++)
            {
                if (_thumbnailed.Remove(_events[i].EventId))
                {
                    _events[i] = _events[i] with { SnapshotId = _events[i].EventId.ToString("D") };
                }
            }

            _thumbnailed.Clear();
        }

        foreach (var crossing in _crossings)
        {
            _metrics?.RecordCrossing(crossing.Camera, crossing.Line, crossing.Direction.ToString(), crossing.Label);
        }

        RecordZoneMetrics();

        try
        {
            // Not the camera's token: a counted crossing must reach the outbox even while the camera is being stopped.
            // The crossings of one frame are stored together, in one transaction and one disk sync.
            await _outbox.EnqueueAsync(_events, enqueueToken);
            _outbox.RecentEvents.Add(_events);
        }
        catch (Exception ex) when (ex is OperationCanceledException or OutboxException or ObjectDisposedException)
        {
            // A full or broken disk, a closed outbox or the stop deadline: the loss is counted and logged, never
            // silent, and it is not the camera's fault, so the camera keeps counting.
            Interlocked.Add(ref _eventsNotEnqueued, _events.Count);
            if (ex is not OutboxFullException)
            {
                // A full disk fails every event alike; the outbox logs it once a minute with the counts.
                foreach (var countEvent in _events)
                {
                    LogEventNotEnqueued(_camera.Name, countEvent.EventId, ex.Message);
                }
            }
        }
    }

    private void RecordZoneMetrics()
    {
        if (_metrics is null || _zoneEvents.Count == 0)
        {
            return;
        }

        foreach (var zoneEvent in _zoneEvents)
        {
            _metrics.RecordZoneEvent(zoneEvent.Camera, zoneEvent.Zone, zoneEvent.Kind, zoneEvent.Label);
        }

        // Occupancy changes only with an enter or exit, so the gauges are set here, not per frame.
        foreach (var zone in Volatile.Read(ref _pipeline)?.GetOccupancy() ?? [])
        {
            foreach (var (label, count) in zone.ByClass)
            {
                _metrics.RecordZoneOccupancy(_camera.Name, zone.Zone, label, count);
            }
        }
    }

    /// <summary>Waits until the camera may be opened again. Returns true when this is a watchdog reconnect attempt.</summary>
    private async Task<bool> WaitForNextAttemptAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            Heartbeat();
            if (_watchdog.TryBeginReconnect(_camera.Name))
            {
                return true;
            }

            if (_watchdog.GetHealth(_camera.Name) is CameraHealth.Degraded or CameraHealth.Starting or CameraHealth.Healthy)
            {
                // Below the offline threshold: retry at once (after a short pause so a broken URL cannot spin).
                await DelayAsync(WaitPoll, stoppingToken);
                return false;
            }

            using var wake = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
            lock (_sessionLock)
            {
                _session = wake;
            }

            await DelayAsync(WaitPoll, wake.Token);
            lock (_sessionLock)
            {
                _session = null;
            }
        }

        return false;
    }

    private async Task DelayAsync(TimeSpan delay, CancellationToken token)
    {
        try
        {
            await Task.Delay(delay, _time, token);
        }
        catch (OperationCanceledException)
        {
        }
    }

    private void Heartbeat() => Interlocked.Exchange(ref _heartbeatTicks, _time.GetUtcNow().UtcTicks);

    public ValueTask DisposeAsync()
    {
        _pipeline?.Dispose();
        return ValueTask.CompletedTask;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Camera {Camera} reconnected to {Source}.")]
    private partial void LogReconnected(string camera, string source);

    [LoggerMessage(Level = LogLevel.Information, Message = "Camera {Camera}: end of the recording; the camera is finished.")]
    private partial void LogFinished(string camera);

    [LoggerMessage(Level = LogLevel.Information, Message = "Camera {Camera}: reconnect requested.")]
    private partial void LogManualReconnect(string camera);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Camera {Camera}: {Kind}: {Reason}")]
    private partial void LogSourceFailed(string camera, FrameSourceErrorKind kind, string reason);

    [LoggerMessage(Level = LogLevel.Error, Message = "Camera {Camera}: processing failed: {Reason}")]
    private partial void LogLoopFault(string camera, string reason);

    [LoggerMessage(Level = LogLevel.Error, Message = "Camera {Camera}: event {EventId} could not be written to the outbox: {Reason}")]
    private partial void LogEventNotEnqueued(string camera, Guid eventId, string reason);
}
