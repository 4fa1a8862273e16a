using System.Globalization;
using HgCounter.Configuration;
using HgCounter.Health;
using HgCounter.Reliability.Backoff;
using HgCounter.Reliability.Metrics;
using HgCounter.Security;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace HgCounter.Reliability.Watchdog;

/// <summary>
/// Tracks the health of every camera and schedules reconnects.
/// <para>
/// The reading loop reports <see cref="MarkFrameReceived"/> / <see cref="MarkFrameFailed"/>; the reconnect loop asks
/// <see cref="GetDueReconnects"/>, calls <see cref="TryBeginReconnect"/> and reports <see cref="ReconnectSucceeded"/> /
/// <see cref="ReconnectFailed"/>. A timer (every <c>StallTimeout / 2</c>, at most 1 s) runs <see cref="CheckStalls"/> so a camera
/// that keeps its socket open but sends nothing, or repeats one frozen frame, goes Offline too.
/// </para>
/// Thread-safe. Every clock read goes through the injected <see cref="TimeProvider"/>. States and transitions: docs/reliability.md.
/// </summary>
public sealed partial class RtspWatchdog : IDisposable
{
    private readonly Lock _lock = new();
    private readonly Dictionary<string, CameraWatch> _cameras = new(StringComparer.Ordinal);
    private readonly WatchdogOptions _options;
    private readonly TimeProvider _time;
    private readonly ReconnectBackoff _backoff;
    private readonly ILogger _logger;
    private readonly HgCounterMetrics? _metrics;
    private readonly ITimer _stallTimer;

    /// <summary>Creates the watchdog and starts its stall timer.</summary>
    /// <param name="options">Thresholds and backoff.</param>
    /// <param name="timeProvider">Clock and timers.</param>
    /// <param name="logger">Logger; state changes are logged (redacted).</param>
    /// <param name="metrics">Optional metrics (camera state, reconnects).</param>
    /// <param name="random">Jitter source in [0, 1); defaults to <see cref="Random.Shared"/>.</param>
    public RtspWatchdog(WatchdogOptions options, TimeProvider timeProvider, ILogger<RtspWatchdog>? logger = null, HgCounterMetrics? metrics = null, Func<double>? random = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(timeProvider);
        _options = options;
        _time = timeProvider;
        _backoff = new ReconnectBackoff(options, random);
        _logger = (ILogger?)logger ?? NullLogger.Instance;
        _metrics = metrics;
        var period = TimeSpan.FromTicks(Math.Clamp(options.StallTimeout.Ticks / 2, TimeSpan.FromMilliseconds(50).Ticks, TimeSpan.FromSeconds(1).Ticks));
        _stallTimer = timeProvider.CreateTimer(static state => ((RtspWatchdog)state!).CheckStalls(), this, period, period);
    }

    /// <summary>Raised when a camera turns Offline (failures, stall, frozen frame, failed reconnect). Raised outside the lock.</summary>
    public event EventHandler<CameraStateChangedEventArgs>? CameraOffline;

    /// <summary>Raised when a camera delivers a frame after being Starting, Offline or Reconnecting.</summary>
    public event EventHandler<CameraStateChangedEventArgs>? CameraOnline;

    /// <summary>Raised on every state change (including the two above).</summary>
    public event EventHandler<CameraStateChangedEventArgs>? StateChanged;

    /// <summary>The reconnect delay schedule in use.</summary>
    public ReconnectBackoff Backoff => _backoff;

    /// <summary>Registers (or re-registers) a camera in state Starting. <paramref name="source"/> is redacted before it is stored.</summary>
    public void Register(string camera, string? source = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(camera);
        lock (_lock)
        {
            _cameras[camera] = new CameraWatch(camera, Redactor.Redact(source), _time.GetUtcNow());
        }

        _metrics?.RecordCameraState(camera, CameraHealth.Starting);
    }

    /// <summary>Forgets a camera. Returns false if it was not registered.</summary>
    public bool Unregister(string camera)
    {
        lock (_lock)
        {
            return _cameras.Remove(camera);
        }
    }

    /// <summary>
    /// A frame arrived. Resets the failure count; the camera becomes Healthy unless the content has been identical
    /// (same <paramref name="contentHash"/>) for <c>FrozenTimeout</c>. Pass <c>null</c> to skip frozen detection.
    /// Allocates nothing unless the state changes.
    /// </summary>
    public void MarkFrameReceived(string camera, ulong? contentHash = null)
    {
        Transition? change = null;
        lock (_lock)
        {
            if (!_cameras.TryGetValue(camera, out var watch) || watch.Health == CameraHealth.Finished)
            {
                return;
            }

            var now = _time.GetUtcNow();
            watch.LastFrameAt = now;
            watch.ExpectingFrameSince = now;
            watch.ConsecutiveFailures = 0;
            if (contentHash is null || contentHash != watch.LastHash)
            {
                watch.LastHash = contentHash;
                watch.LastContentChangeAt = now;
            }

            if (IsFrozen(watch, now))
            {
                if (watch.Health is not (CameraHealth.Offline or CameraHealth.Reconnecting))
                {
                    change = GoOffline(watch, now, FrozenReason(now - watch.LastContentChangeAt));
                }
            }
            else if (watch.Health != CameraHealth.Healthy)
            {
                var previous = watch.Health;
                watch.Health = CameraHealth.Healthy;
                watch.ReconnectAttempts = 0;
                watch.NextAttemptAt = null;
                watch.GaveUp = false;
                watch.ReportedOffline = false;
                change = new Transition(watch.ToInfo(), previous, previous == CameraHealth.Degraded ? "frames arrive again" : "first frame received");
            }
        }

        Raise(change);
    }

    /// <summary>A read failed. One failure makes a Healthy camera Degraded; <c>OfflineAfterFailures</c> in a row make it Offline and schedule a reconnect.</summary>
    public void MarkFrameFailed(string camera, string? error)
    {
        Transition? change = null;
        lock (_lock)
        {
            if (!_cameras.TryGetValue(camera, out var watch) || watch.Health == CameraHealth.Finished)
            {
                return;
            }

            var now = _time.GetUtcNow();
            watch.ConsecutiveFailures++;
            watch.LastError = Redactor.Redact(error);
            if (watch.Health is CameraHealth.Offline or CameraHealth.Reconnecting)
            {
                // Already being handled by the reconnect loop.
            }
            else if (watch.ConsecutiveFailures >= _options.OfflineAfterFailures)
            {
                change = GoOffline(watch, now, string.Create(CultureInfo.InvariantCulture, $"{watch.ConsecutiveFailures} consecutive failures"));
            }
            else if (watch.Health != CameraHealth.Degraded)
            {
                var previous = watch.Health;
                watch.Health = CameraHealth.Degraded;
                change = new Transition(watch.ToInfo(), previous, "read failed");
            }
        }

        Raise(change);
    }

    /// <summary>A finite source (a file) reached its end: state Finished, no stall detection, no reconnect.</summary>
    public void MarkFinished(string camera)
    {
        Transition? change = null;
        lock (_lock)
        {
            if (_cameras.TryGetValue(camera, out var watch) && watch.Health != CameraHealth.Finished)
            {
                var previous = watch.Health;
                watch.Health = CameraHealth.Finished;
                watch.NextAttemptAt = null;
                watch.ReconnectRequested = false;
                change = new Transition(watch.ToInfo(), previous, "end of stream");
            }
        }

        Raise(change);
    }

    /// <summary>Cameras whose reconnect is due now (scheduled time reached, or requested manually), ordered by name.</summary>
    public IReadOnlyList<string> GetDueReconnects()
    {
        lock (_lock)
        {
            var now = _time.GetUtcNow();
            List<string>? due = null;
            foreach (var watch in _cameras.Values)
            {
                if (IsDue(watch, now))
                {
                    (due ??= []).Add(watch.Name);
                }
            }

            due?.Sort(StringComparer.Ordinal);
            return due ?? (IReadOnlyList<string>)[];
        }
    }

    /// <summary>Starts a reconnect attempt if one is due: state Reconnecting, attempt count +1. False if not due (or already running).</summary>
    public bool TryBeginReconnect(string camera)
    {
        Transition? change;
        lock (_lock)
        {
            if (!_cameras.TryGetValue(camera, out var watch) || !IsDue(watch, _time.GetUtcNow()))
            {
                return false;
            }

            var previous = watch.Health;
            watch.Health = CameraHealth.Reconnecting;
            watch.ReconnectAttempts++;
            watch.ReconnectRequested = false;
            watch.NextAttemptAt = null;
            change = new Transition(watch.ToInfo(), previous, string.Create(CultureInfo.InvariantCulture, $"reconnect attempt {watch.ReconnectAttempts}"));
        }

        _metrics?.RecordReconnect(camera);
        Raise(change);
        return true;
    }

    /// <summary>The stream reopened. The camera waits for its first frame (state Starting, stall timer restarted); it is Healthy once a frame arrives.</summary>
    public void ReconnectSucceeded(string camera)
    {
        Transition? change = null;
        lock (_lock)
        {
            if (_cameras.TryGetValue(camera, out var watch) && watch.Health == CameraHealth.Reconnecting)
            {
                var now = _time.GetUtcNow();
                watch.Health = CameraHealth.Starting;
                watch.ExpectingFrameSince = now;
                watch.LastContentChangeAt = now;
                watch.LastHash = null;
                watch.ConsecutiveFailures = 0;
                change = new Transition(watch.ToInfo(), CameraHealth.Reconnecting, "stream reopened, waiting for a frame");
            }
        }

        Raise(change);
    }

    /// <summary>The reconnect attempt failed: Offline again, next attempt after the next backoff delay, or given up at <c>MaxRetries</c>.</summary>
    public void ReconnectFailed(string camera, string? error)
    {
        Transition? change = null;
        lock (_lock)
        {
            if (_cameras.TryGetValue(camera, out var watch) && watch.Health == CameraHealth.Reconnecting)
            {
                watch.LastError = Redactor.Redact(error);
                change = GoOffline(watch, _time.GetUtcNow(), "reconnect failed");
            }
        }

        Raise(change);
    }

    /// <summary>
    /// Manual reconnect: makes the camera due now and resets its backoff, also after it gave up at <c>MaxRetries</c>.
    /// Returns false for unknown cameras.
    /// </summary>
    public bool RequestReconnect(string camera)
    {
        lock (_lock)
        {
            if (!_cameras.TryGetValue(camera, out var watch))
            {
                return false;
            }

            watch.GaveUp = false;
            watch.ReconnectAttempts = 0;
            watch.ReconnectRequested = true;
            watch.NextAttemptAt = _time.GetUtcNow();
            return true;
        }
    }

    /// <summary>
    /// Turns cameras Offline that have had no frame for <c>StallTimeout</c> (Starting, Healthy, Degraded) or the same
    /// content for <c>FrozenTimeout</c>. Runs on the watchdog's timer; may also be called directly.
    /// </summary>
    public void CheckStalls()
    {
        List<Transition>? changes = null;
        lock (_lock)
        {
            var now = _time.GetUtcNow();
            foreach (var watch in _cameras.Values)
            {
                if (watch.Health is not (CameraHealth.Starting or CameraHealth.Healthy or CameraHealth.Degraded))
                {
                    continue;
                }

                var silent = now - watch.ExpectingFrameSince;
                if (silent >= _options.StallTimeout)
                {
                    (changes ??= []).Add(GoOffline(watch, now, string.Create(CultureInfo.InvariantCulture, $"no frame for {silent.TotalSeconds:0.#} s (stall)")));
                }
                else if (IsFrozen(watch, now))
                {
                    (changes ??= []).Add(GoOffline(watch, now, FrozenReason(now - watch.LastContentChangeAt)));
                }
            }
        }

        if (changes is not null)
        {
            foreach (var change in changes)
            {
                Raise(change);
            }
        }
    }

    /// <summary>One camera's details, or <c>null</c> if unknown.</summary>
    public CameraHealthInfo? GetCamera(string camera)
    {
        lock (_lock)
        {
            return _cameras.TryGetValue(camera, out var watch) ? watch.ToInfo() : null;
        }
    }

    /// <summary>One camera's state, or <c>null</c> if unknown. Allocates nothing: cheap enough for every frame.</summary>
    public CameraHealth? GetHealth(string camera)
    {
        lock (_lock)
        {
            return _cameras.TryGetValue(camera, out var watch) ? watch.Health : null;
        }
    }

    /// <summary>Totals (total, healthy, degraded, offline — Reconnecting counts as offline) and per-camera details.</summary>
    public WatchdogSummary GetStatusSummary()
    {
        lock (_lock)
        {
            var cameras = _cameras.Values.OrderBy(c => c.Name, StringComparer.Ordinal).Select(c => c.ToInfo()).ToList();
            return new WatchdogSummary(
                _time.GetUtcNow(),
                cameras.Count,
                cameras.Count(c => c.Health == CameraHealth.Healthy),
                cameras.Count(c => c.Health == CameraHealth.Degraded),
                cameras.Count(c => c.Health is CameraHealth.Offline or CameraHealth.Reconnecting),
                cameras);
        }
    }

    /// <summary>Stops the stall timer.</summary>
    public void Dispose() => _stallTimer.Dispose();

    private static bool IsDue(CameraWatch watch, DateTimeOffset now) =>
        watch.Health is not (CameraHealth.Finished or CameraHealth.Reconnecting)
        && (watch.ReconnectRequested
            || (watch.Health == CameraHealth.Offline && !watch.GaveUp && watch.NextAttemptAt is { } at && at <= now));

    private bool IsFrozen(CameraWatch watch, DateTimeOffset now) =>
        watch.LastHash is not null && now - watch.LastContentChangeAt >= _options.FrozenTimeout;

    private static string FrozenReason(TimeSpan frozenFor) =>
        string.Create(CultureInfo.InvariantCulture, $"same frame content for {frozenFor.TotalSeconds:0.#} s (frozen)");

    /// <summary>Moves to Offline and schedules the next attempt (or gives up at MaxRetries). Caller holds the lock.</summary>
    private Transition GoOffline(CameraWatch watch, DateTimeOffset now, string reason)
    {
        var previous = watch.Health;
        watch.Health = CameraHealth.Offline;
        if (_options.MaxRetries is { } max && watch.ReconnectAttempts >= max)
        {
            watch.GaveUp = true;
            watch.NextAttemptAt = null;
            reason = string.Create(CultureInfo.InvariantCulture, $"{reason}; gave up after {watch.ReconnectAttempts} attempts (RequestReconnect revives it)");
        }
        else
        {
            var delay = _backoff.GetDelay(watch.ReconnectAttempts);
            watch.NextAttemptAt = delay >= DateTimeOffset.MaxValue - now ? DateTimeOffset.MaxValue : now + delay;
        }

        if (reason.Contains("stall", StringComparison.Ordinal) || reason.Contains("frozen", StringComparison.Ordinal))
        {
            watch.LastError = reason;
        }

        // Announce once per outage: repeated failed reconnects of a camera already reported offline stay quiet.
        var announce = !watch.ReportedOffline;
        watch.ReportedOffline = true;
        return new Transition(watch.ToInfo(), previous, reason, announce);
    }

    private void Raise(Transition? change)
    {
        if (change is not { } c)
        {
            return;
        }

        var args = new CameraStateChangedEventArgs(c.Camera, c.Previous, c.Reason);
        _metrics?.RecordCameraState(c.Camera.Name, c.Camera.Health);
        if (c.AnnounceOffline)
        {
            LogOffline(_logger, c.Camera.Name, c.Reason, c.Camera.NextAttemptAt);
            Notify(CameraOffline, args);
        }
        else if (c.Camera.Health == CameraHealth.Healthy && c.Previous is CameraHealth.Starting or CameraHealth.Offline or CameraHealth.Reconnecting)
        {
            LogOnline(_logger, c.Camera.Name, c.Reason);
            Notify(CameraOnline, args);
        }
        else
        {
            LogStateChanged(_logger, c.Camera.Name, c.Previous, c.Camera.Health, c.Reason);
        }

        Notify(StateChanged, args);
    }

    // Subscribers are user code: one that throws must not kill the stall timer's thread or a camera loop.
    private void Notify(EventHandler<CameraStateChangedEventArgs>? handlers, CameraStateChangedEventArgs args)
    {
        if (handlers is null)
        {
            return;
        }

        foreach (var handler in handlers.GetInvocationList())
        {
            try
            {
                ((EventHandler<CameraStateChangedEventArgs>)handler)(this, args);
            }
#pragma warning disable CA1031 // Isolating subscriber faults is the point.
            catch (Exception ex)
#pragma warning restore CA1031
            {
                LogSubscriberFailed(_logger, args.Camera.Name, ex);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Camera {Camera} offline: {Reason}; next attempt at {NextAttemptAt}")]
    private static partial void LogOffline(ILogger logger, string camera, string reason, DateTimeOffset? nextAttemptAt);

    [LoggerMessage(Level = LogLevel.Information, Message = "Camera {Camera} online: {Reason}")]
    private static partial void LogOnline(ILogger logger, string camera, string reason);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Camera {Camera}: {Previous} -> {Current} ({Reason})")]
    private static partial void LogStateChanged(ILogger logger, string camera, CameraHealth previous, CameraHealth current, string reason);

    [LoggerMessage(Level = LogLevel.Error, Message = "Camera {Camera}: a state-change subscriber threw; the watchdog carries on.")]
    private static partial void LogSubscriberFailed(ILogger logger, string camera, Exception exception);

    private readonly record struct Transition(CameraHealthInfo Camera, CameraHealth Previous, string Reason, bool AnnounceOffline = false);
}
