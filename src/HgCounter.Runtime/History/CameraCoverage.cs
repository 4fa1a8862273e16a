namespace HgCounter.Runtime.History;

/// <summary>
/// One camera's counting time: the time between two processed frames counts as covered when the gap is short (at most
/// <see cref="MaxGapFrames"/> frame intervals, and at least <see cref="MinGap"/>); a longer gap (stall, outage, reconnect)
/// is not, so an offline camera shows as reduced coverage.
/// </summary>
internal sealed class CameraCoverage(string camera, double targetFps, CountHistoryStore history)
{
    public const int MaxGapFrames = 5;

    public static readonly TimeSpan MinGap = TimeSpan.FromSeconds(2);

    private readonly TimeSpan _maxGap = TimeSpan.FromTicks(Math.Max(MinGap.Ticks, (long)(TimeSpan.TicksPerSecond * MaxGapFrames / Math.Max(targetFps, 0.01))));
    private DateTimeOffset? _last;

    /// <summary>A frame captured at <paramref name="timestamp"/> was processed.</summary>
    public void FrameProcessed(DateTimeOffset timestamp)
    {
        if (_last is { } last && timestamp > last && timestamp - last <= _maxGap)
        {
            history.AddCoverage(camera, last, timestamp);
        }

        _last = timestamp;
    }

    /// <summary>The connection ended: the next frame starts afresh.</summary>
    public void Break() => _last = null;
}
