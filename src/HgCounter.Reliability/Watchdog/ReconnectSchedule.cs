using HgCounter.Configuration;
using HgCounter.Health;
using HgCounter.Reliability.Backoff;

namespace HgCounter.Reliability.Watchdog;

/// <summary>When an offline camera's next reconnect is due: after the backoff delay, or never once <c>MaxRetries</c> is reached.</summary>
internal sealed class ReconnectSchedule(WatchdogOptions options, ReconnectBackoff backoff)
{
    public ReconnectBackoff Backoff { get; } = backoff;

    /// <summary>The time of the next attempt after <paramref name="attemptsSoFar"/> attempts, or <c>null</c> to give up.</summary>
    public DateTimeOffset? NextAttempt(int attemptsSoFar, DateTimeOffset now)
    {
        if (options.MaxRetries is { } max && attemptsSoFar >= max)
        {
            return null;
        }

        var delay = Backoff.GetDelay(attemptsSoFar);
        return delay >= DateTimeOffset.MaxValue - now ? DateTimeOffset.MaxValue : now + delay;
    }

    /// <summary>True when <paramref name="watch"/> should reconnect now: its scheduled time came, or an operator asked.</summary>
    public static bool IsDue(CameraWatch watch, DateTimeOffset now) =>
        watch.Health is not (CameraHealth.Finished or CameraHealth.Reconnecting)
        && (watch.ReconnectRequested
            || (watch.Health == CameraHealth.Offline && !watch.GaveUp && watch.NextAttemptAt is { } at && at <= now));
}
