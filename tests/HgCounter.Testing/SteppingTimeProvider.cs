namespace HgCounter.Testing;

/// <summary>
/// A clock whose timestamp moves on by a fixed step at every read, so anything timed between two reads takes exactly
/// <see cref="Step"/>: durations without sleeping, and without depending on how fast this machine is.
/// </summary>
public sealed class SteppingTimeProvider : TimeProvider
{
    private long _ticks;

    /// <summary>Creates the clock.</summary>
    public SteppingTimeProvider(TimeSpan step) => Step = step;

    /// <summary>How far each timestamp read moves the clock.</summary>
    public TimeSpan Step { get; }

    /// <inheritdoc />
    public override long TimestampFrequency => TimeSpan.TicksPerSecond;

    /// <inheritdoc />
    public override long GetTimestamp() => Interlocked.Add(ref _ticks, Step.Ticks);
}
