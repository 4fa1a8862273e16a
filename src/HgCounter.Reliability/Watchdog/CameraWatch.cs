using System.Globalization;
using HgCounter.Configuration;
using HgCounter.Health;
using HgCounter.Security;

namespace HgCounter.Reliability.Watchdog;

/// <summary>
/// One camera's state machine (Starting, Healthy, Degraded, Offline, Reconnecting, Finished; docs/reliability.md). Each
/// method applies one event and returns the transition it caused, if any. Not thread-safe: the watchdog's lock guards it.
/// </summary>
internal sealed class CameraWatch(string name, string? source, DateTimeOffset now, WatchdogOptions options, ReconnectSchedule schedule)
{
    public string Name { get; } = name;

    public string? Source { get; } = source;

    public CameraHealth Health { get; private set; } = CameraHealth.Starting;

    public int ConsecutiveFailures { get; private set; }

    public DateTimeOffset? LastFrameAt { get; private set; }

    public string? LastError { get; private set; }

    public CameraFailureReason? LastFailure { get; private set; }

    public int ReconnectAttempts { get; private set; }

    public DateTimeOffset? NextAttemptAt { get; private set; }

    /// <summary>Since when a frame is expected: registration, a successful reconnect, or the last frame.</summary>
    public DateTimeOffset ExpectingFrameSince { get; private set; } = now;

    /// <summary>Hash of the last frame with a known hash, or <c>null</c>.</summary>
    public ulong? LastHash { get; private set; }

    /// <summary>When the frame content last changed.</summary>
    public DateTimeOffset LastContentChangeAt { get; private set; } = now;

    /// <summary>True when MaxRetries was reached: no automatic reconnect until <see cref="RequestReconnect"/>.</summary>
    public bool GaveUp { get; private set; }

    /// <summary>True after a manual reconnect request, until the reconnect begins.</summary>
    public bool ReconnectRequested { get; private set; }

    /// <summary>True once CameraOffline was raised for the current outage; cleared when frames arrive again.</summary>
    public bool ReportedOffline { get; private set; }

    public CameraHealthInfo ToInfo() =>
        new(Name, Health, ConsecutiveFailures, LastFrameAt, LastError, ReconnectAttempts, NextAttemptAt, Source, LastFailure);

    /// <summary>A frame arrived: Healthy, unless its content has been the same for <c>FrozenTimeout</c>.</summary>
    public FrameVerdict FrameReceived(DateTimeOffset at, ulong? contentHash, out CameraTransition? change)
    {
        change = null;
        if (Health == CameraHealth.Finished)
        {
            return FrameVerdict.NotWatched;
        }

        LastFrameAt = at;
        ExpectingFrameSince = at;
        ConsecutiveFailures = 0;
        if (contentHash is null || contentHash != LastHash)
        {
            LastHash = contentHash;
            LastContentChangeAt = at;
        }

        if (IsFrozen(at))
        {
            if (Health is not (CameraHealth.Offline or CameraHealth.Reconnecting))
            {
                change = GoOffline(at, CameraFailureReason.Frozen, FrozenText(at));
            }

            return FrameVerdict.Frozen;
        }

        if (Health != CameraHealth.Healthy)
        {
            var previous = Health;
            Health = CameraHealth.Healthy;
            ReconnectAttempts = 0;
            NextAttemptAt = null;
            GaveUp = false;
            ReportedOffline = false;
            change = new CameraTransition(ToInfo(), previous, previous == CameraHealth.Degraded ? "frames arrive again" : "first frame received");
        }

        return FrameVerdict.Live;
    }

    /// <summary>A read failed: Degraded at once, Offline after <c>OfflineAfterFailures</c> in a row.</summary>
    public CameraTransition? FrameFailed(DateTimeOffset at, CameraFailureReason reason, string? error)
    {
        if (Health == CameraHealth.Finished)
        {
            return null;
        }

        ConsecutiveFailures++;
        RecordFailure(reason, error);
        if (Health is CameraHealth.Offline or CameraHealth.Reconnecting)
        {
            return null; // already being handled by the reconnect loop
        }

        if (ConsecutiveFailures >= options.OfflineAfterFailures)
        {
            return GoOffline(at, reason, string.Create(CultureInfo.InvariantCulture, $"{ConsecutiveFailures} consecutive failures"));
        }

        if (Health == CameraHealth.Degraded)
        {
            return null;
        }

        var previous = Health;
        Health = CameraHealth.Degraded;
        return new CameraTransition(ToInfo(), previous, "read failed", reason);
    }

    /// <summary>A finite source reached its end: Finished, no stall detection, no reconnect.</summary>
    public CameraTransition? Finished()
    {
        if (Health == CameraHealth.Finished)
        {
            return null;
        }

        var previous = Health;
        Health = CameraHealth.Finished;
        NextAttemptAt = null;
        ReconnectRequested = false;
        return new CameraTransition(ToInfo(), previous, "end of stream");
    }

    public bool IsDue(DateTimeOffset at) => ReconnectSchedule.IsDue(this, at);

    /// <summary>Starts the attempt that is due: Reconnecting, attempt count + 1.</summary>
    public CameraTransition BeginReconnect()
    {
        var previous = Health;
        Health = CameraHealth.Reconnecting;
        ReconnectAttempts++;
        ReconnectRequested = false;
        NextAttemptAt = null;
        return new CameraTransition(ToInfo(), previous, string.Create(CultureInfo.InvariantCulture, $"reconnect attempt {ReconnectAttempts}"));
    }

    /// <summary>The stream reopened: Starting, waiting for its first frame, stall and frozen clocks restarted.</summary>
    public CameraTransition? ReconnectSucceeded(DateTimeOffset at)
    {
        if (Health != CameraHealth.Reconnecting)
        {
            return null;
        }

        Health = CameraHealth.Starting;
        ExpectingFrameSince = at;
        LastContentChangeAt = at;
        LastHash = null;
        ConsecutiveFailures = 0;
        return new CameraTransition(ToInfo(), CameraHealth.Reconnecting, "stream reopened, waiting for a frame");
    }

    /// <summary>The attempt failed: Offline, next attempt scheduled (or given up).</summary>
    public CameraTransition? ReconnectFailed(DateTimeOffset at, CameraFailureReason reason, string? error)
    {
        if (Health != CameraHealth.Reconnecting)
        {
            return null;
        }

        RecordFailure(reason, error);
        return GoOffline(at, reason, "reconnect failed");
    }

    /// <summary>Due now with a fresh backoff, also after giving up.</summary>
    public void RequestReconnect(DateTimeOffset at)
    {
        GaveUp = false;
        ReconnectAttempts = 0;
        ReconnectRequested = true;
        NextAttemptAt = at;
    }

    /// <summary>Offline when no frame came for <c>StallTimeout</c>, or the same content for <c>FrozenTimeout</c>.</summary>
    public CameraTransition? CheckStall(DateTimeOffset at)
    {
        if (Health is not (CameraHealth.Starting or CameraHealth.Healthy or CameraHealth.Degraded))
        {
            return null;
        }

        var silent = at - ExpectingFrameSince;
        if (silent >= options.StallTimeout)
        {
            return GoOffline(at, CameraFailureReason.Stalled, string.Create(CultureInfo.InvariantCulture, $"no frame for {silent.TotalSeconds:0.#} s (stall)"));
        }

        return IsFrozen(at) ? GoOffline(at, CameraFailureReason.Frozen, FrozenText(at)) : null;
    }

    private bool IsFrozen(DateTimeOffset at) => LastHash is not null && at - LastContentChangeAt >= options.FrozenTimeout;

    private string FrozenText(DateTimeOffset at) =>
        string.Create(CultureInfo.InvariantCulture, $"same frame content for {(at - LastContentChangeAt).TotalSeconds:0.#} s (frozen)");

    private void RecordFailure(CameraFailureReason reason, string? error)
    {
        LastError = Redactor.Redact(error);
        LastFailure = reason;
    }

    /// <summary>Moves to Offline and schedules the next attempt, or gives up at MaxRetries.</summary>
    private CameraTransition GoOffline(DateTimeOffset at, CameraFailureReason cause, string reason)
    {
        var previous = Health;
        Health = CameraHealth.Offline;
        NextAttemptAt = schedule.NextAttempt(ReconnectAttempts, at);
        if (NextAttemptAt is null)
        {
            GaveUp = true;
            reason = string.Create(CultureInfo.InvariantCulture, $"{reason}; gave up after {ReconnectAttempts} attempts (RequestReconnect revives it)");
        }

        if (cause is CameraFailureReason.Stalled or CameraFailureReason.Frozen)
        {
            // Found by the watchdog itself, so no source error describes it: the reason is the error.
            LastError = reason;
            LastFailure = cause;
        }

        // Announce once per outage: repeated failed reconnects of a camera already reported offline stay quiet.
        var announce = !ReportedOffline;
        ReportedOffline = true;
        return new CameraTransition(ToInfo(), previous, reason, cause, announce);
    }
}
