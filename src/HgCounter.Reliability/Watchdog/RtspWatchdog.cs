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
/// The reading loop reports <see cref="MarkFrameReceived"/> / <see cref="MarkFrameFailed(string, CameraFailureReason, string?)"/>;
/// the reconnect loop asks <see cref="GetDueReconnects"/>, calls <see cref="TryBeginReconnect"/> and reports
/// <see cref="ReconnectSucceeded"/> / <see cref="ReconnectFailed(string, CameraFailureReason, string?)"/>. A timer (every
/// <c>StallTimeout / 2</c>, at most 1 s) runs <see cref="CheckStalls"/> so a camera that keeps its socket open but sends
/// nothing, or repeats one frozen frame, goes Offline too.
/// </para>
/// Thread-safe. Every clock read goes through the injected <see cref="TimeProvider"/>. The per-camera state machine is
/// <see cref="CameraWatch"/>; states and transitions: docs/reliability.md.
/// </summary>
public sealed class RtspWatchdog : IDisposable
{
    private readonly Lock _lock = new();
    private readonly Dictionary<string, CameraWatch> _cameras = new(StringComparer.Ordinal);
    private readonly WatchdogOptions _options;
    private readonly TimeProvider _time;
    private readonly ReconnectSchedule _schedule;
    private readonly WatchdogNotifier _notifier;
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
        _schedule = new ReconnectSchedule(options, new ReconnectBackoff(options, random));
        _notifier = new WatchdogNotifier((ILogger?)logger ?? NullLogger.Instance, metrics);
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
    public ReconnectBackoff Backoff => _schedule.Backoff;

    /// <summary>Registers (or re-registers) a camera in state Starting. <paramref name="source"/> is redacted before it is stored.</summary>
    public void Register(string camera, string? source = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(camera);
        lock (_lock)
        {
            _cameras[camera] = new CameraWatch(camera, Redactor.Redact(source), _time.GetUtcNow(), _options, _schedule);
        }

        _notifier.RecordRegistered(camera);
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
    /// <returns><see cref="FrameVerdict.Frozen"/> when the caller should reconnect because the picture is frozen.</returns>
    public FrameVerdict MarkFrameReceived(string camera, ulong? contentHash = null)
    {
        CameraTransition? change = null;
        FrameVerdict verdict;
        lock (_lock)
        {
            verdict = _cameras.TryGetValue(camera, out var watch)
                ? watch.FrameReceived(_time.GetUtcNow(), contentHash, out change)
                : FrameVerdict.NotWatched;
        }

        Publish(change);
        return verdict;
    }

    /// <summary>
    /// A read failed for <paramref name="reason"/>. One failure makes a Healthy camera Degraded;
    /// <c>OfflineAfterFailures</c> in a row make it Offline and schedule a reconnect.
    /// </summary>
    public void MarkFrameFailed(string camera, CameraFailureReason reason, string? error) =>
        Apply(camera, watch => watch.FrameFailed(_time.GetUtcNow(), reason, error));

    /// <summary>A read failed for an unclassified reason; see <see cref="MarkFrameFailed(string, CameraFailureReason, string?)"/>.</summary>
    public void MarkFrameFailed(string camera, string? error) => MarkFrameFailed(camera, CameraFailureReason.Unknown, error);

    /// <summary>A finite source (a file) reached its end: state Finished, no stall detection, no reconnect.</summary>
    public void MarkFinished(string camera) => Apply(camera, watch => watch.Finished());

    /// <summary>Cameras whose reconnect is due now (scheduled time reached, or requested manually), ordered by name.</summary>
    public IReadOnlyList<string> GetDueReconnects()
    {
        lock (_lock)
        {
            var now = _time.GetUtcNow();
            List<string>? due = null;
            foreach (var watch in _cameras.Values)
            {
                if (watch.IsDue(now))
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
        CameraTransition change;
        lock (_lock)
        {
            if (!_cameras.TryGetValue(camera, out var watch) || !watch.IsDue(_time.GetUtcNow()))
            {
                return false;
            }

            change = watch.BeginReconnect();
        }

        _notifier.RecordReconnect(camera);
        Publish(change);
        return true;
    }

    /// <summary>The stream reopened. The camera waits for its first frame (state Starting, stall timer restarted); it is Healthy once a frame arrives.</summary>
    public void ReconnectSucceeded(string camera) => Apply(camera, watch => watch.ReconnectSucceeded(_time.GetUtcNow()));

    /// <summary>The reconnect attempt failed for <paramref name="reason"/>: Offline again, next attempt after the next backoff delay, or given up at <c>MaxRetries</c>.</summary>
    public void ReconnectFailed(string camera, CameraFailureReason reason, string? error) =>
        Apply(camera, watch => watch.ReconnectFailed(_time.GetUtcNow(), reason, error));

    /// <summary>The reconnect attempt failed for an unclassified reason; see <see cref="ReconnectFailed(string, CameraFailureReason, string?)"/>.</summary>
    public void ReconnectFailed(string camera, string? error) => ReconnectFailed(camera, CameraFailureReason.Unknown, error);

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

            watch.RequestReconnect(_time.GetUtcNow());
            return true;
        }
    }

    /// <summary>
    /// Turns cameras Offline that have had no frame for <c>StallTimeout</c> (Starting, Healthy, Degraded) or the same
    /// content for <c>FrozenTimeout</c>. Runs on the watchdog's timer; may also be called directly.
    /// </summary>
    public void CheckStalls()
    {
        List<CameraTransition>? changes = null;
        lock (_lock)
        {
            var now = _time.GetUtcNow();
            foreach (var watch in _cameras.Values)
            {
                if (watch.CheckStall(now) is { } change)
                {
                    (changes ??= []).Add(change);
                }
            }
        }

        foreach (var change in changes ?? [])
        {
            Publish(change);
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

    /// <summary>One camera's state, or <c>null</c> if unknown. Allocates nothing.</summary>
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

    private void Apply(string camera, Func<CameraWatch, CameraTransition?> transition)
    {
        CameraTransition? change = null;
        lock (_lock)
        {
            if (_cameras.TryGetValue(camera, out var watch))
            {
                change = transition(watch);
            }
        }

        Publish(change);
    }

    private void Publish(CameraTransition? change) => _notifier.Publish(change, this, CameraOffline, CameraOnline, StateChanged);
}
