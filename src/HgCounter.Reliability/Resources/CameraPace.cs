namespace HgCounter.Reliability.Resources;

/// <summary>Per-camera pacing and fps state of the <see cref="ResourceGuard"/>; guarded by its own lock.</summary>
internal sealed class CameraPace(long createdAt)
{
    public Lock Sync { get; } = new();

    /// <summary>Timestamps (TimeProvider ticks) of processed frames within the fps window.</summary>
    public Queue<long> Frames { get; } = new(64);

    public long CreatedAt { get; } = createdAt;

    /// <summary>Earliest timestamp at which the next frame may be processed.</summary>
    public long NextDue { get; set; } = long.MinValue;

    /// <summary>The camera's configured processing rate; +∞ until set.</summary>
    public double TargetFps { get; set; } = double.PositiveInfinity;

    /// <summary>Adaptive (CPU) cap in fps; +∞ when not limited.</summary>
    public double AdaptiveCap { get; set; } = double.PositiveInfinity;
}
