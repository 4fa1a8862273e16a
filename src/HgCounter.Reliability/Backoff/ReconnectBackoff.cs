using HgCounter.Configuration;

namespace HgCounter.Reliability.Backoff;

/// <summary>
/// Reconnect delays: <c>InitialBackoff · 2^attempt</c> capped at <c>MaxBackoff</c> (1 s, 2 s, 4 s … 60 s by default),
/// optionally multiplied by a random factor in [1 − <see cref="JitterFraction"/>, 1 + <see cref="JitterFraction"/>]
/// so that cameras that fail together do not reconnect in lock-step. Never negative, never overflows.
/// </summary>
public sealed class ReconnectBackoff
{
    /// <summary>Half-width of the jitter band: a jittered delay lies within ±25 % of the un-jittered one.</summary>
    public const double JitterFraction = 0.25;

    private readonly TimeSpan _initial;
    private readonly TimeSpan _max;
    private readonly bool _useJitter;
    private readonly Func<double> _random;

    /// <summary>Creates the schedule from the watchdog options.</summary>
    /// <param name="options">Initial delay, cap and jitter switch.</param>
    /// <param name="random">Source of uniform numbers in [0, 1); defaults to <see cref="Random.Shared"/>.</param>
    public ReconnectBackoff(WatchdogOptions options, Func<double>? random = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        _initial = options.InitialBackoff < TimeSpan.Zero ? TimeSpan.Zero : options.InitialBackoff;
        _max = options.MaxBackoff < TimeSpan.Zero ? TimeSpan.Zero : options.MaxBackoff;
        _useJitter = options.UseJitter;
        _random = random ?? Random.Shared.NextDouble;
    }

    /// <summary>The largest delay <see cref="GetDelay"/> can return: the cap, plus the jitter band when jitter is on.</summary>
    public TimeSpan UpperBound => _useJitter ? Scale(_max, 1 + JitterFraction) : _max;

    /// <summary>The delay before reconnect attempt <paramref name="attempt"/> (0 = first attempt after going offline).</summary>
    public TimeSpan GetDelay(int attempt)
    {
        var delay = GetBaseDelay(attempt);
        if (!_useJitter || delay == TimeSpan.Zero)
        {
            return delay;
        }

        // Clamp the random source: a faulty one must not push the delay outside the documented band.
        var unit = Math.Clamp(_random(), 0.0, 1.0);
        return Scale(delay, 1 - JitterFraction + (2 * JitterFraction * unit));
    }

    /// <summary>The un-jittered delay: <c>min(MaxBackoff, InitialBackoff · 2^attempt)</c>.</summary>
    public TimeSpan GetBaseDelay(int attempt)
    {
        if (attempt < 0 || _initial == TimeSpan.Zero)
        {
            return TimeSpan.Zero;
        }

        // Doubling in double space: 2^attempt for large attempts is +∞ and the Min() below turns it into the cap.
        var ticks = _initial.Ticks * Math.Pow(2, Math.Min(attempt, 1023));
        return ticks >= _max.Ticks ? _max : TimeSpan.FromTicks((long)ticks);
    }

    private static TimeSpan Scale(TimeSpan value, double factor)
    {
        var ticks = value.Ticks * factor;
        return ticks >= TimeSpan.MaxValue.Ticks ? TimeSpan.MaxValue : TimeSpan.FromTicks((long)Math.Max(0, ticks));
    }
}
