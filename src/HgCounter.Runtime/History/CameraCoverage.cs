namespace HgCounter.Runtime.History;

/// <summary>
/// One camera's counting time: the time between two processed frames counts as covered when the gap is short (at most
/// <see cref="MaxGapFrames"/> frame intervals, and at least <see cref="MinGap"/>); a longer gap (stall, outage, reconnect)
/// is not, so an offline camera shows as reduced coverage.
/// </summary>
/// <remarks>
/// Called on every processed frame, so it adds up locally within the current 15-minute bucket (every hourly and daily
/// boundary is also a 15-minute one) and hands the sum to the store at most every <see cref="PushInterval"/>, at a bucket
/// boundary and at <see cref="Break"/>: no lock and no time-zone arithmetic per frame.
/// </remarks>
internal sealed class CameraCoverage(string camera, double targetFps, CountHistoryStore history)
{
    public const int MaxGapFrames = 5;

    public static readonly TimeSpan MinGap = TimeSpan.FromSeconds(2);

    /// <summary>How stale the store's view of this camera's coverage may get while frames flow.</summary>
    public static readonly TimeSpan PushInterval = TimeSpan.FromSeconds(1);

    private readonly TimeSpan _maxGap = TimeSpan.FromTicks(Math.Max(MinGap.Ticks, (long)(TimeSpan.TicksPerSecond * MaxGapFrames / Math.Max(targetFps, 0.01))));
    private DateTimeOffset? _last;
    private DateTimeOffset _bucketStart = DateTimeOffset.MaxValue;
    private DateTimeOffset _bucketEnd = DateTimeOffset.MinValue;
    private DateTimeOffset _pushedAt = DateTimeOffset.MinValue;
    private long _pendingTicks;

    /// <summary>A frame captured at <paramref name="timestamp"/> was processed.</summary>
    public void FrameProcessed(DateTimeOffset timestamp)
    {
        if (_last is { } last && timestamp > last && timestamp - last <= _maxGap)
        {
            if (last >= _bucketStart && timestamp <= _bucketEnd)
            {
                _pendingTicks += (timestamp - last).Ticks;
            }
            else
            {
                Push(timestamp);
                history.AddCoverage(camera, last, timestamp); // spans a bucket boundary: the store splits it
            }
        }

        if (timestamp < _bucketStart || timestamp >= _bucketEnd)
        {
            Push(timestamp);
            _bucketStart = history.Buckets.Start(timestamp, CountBucketSize.QuarterHour);
            _bucketEnd = history.Buckets.End(_bucketStart, CountBucketSize.QuarterHour);
        }
        else if (timestamp - _pushedAt >= PushInterval)
        {
            Push(timestamp);
        }

        _last = timestamp;
    }

    /// <summary>The connection ended (or the camera stopped): what was gathered goes to the store, and the next frame starts afresh.</summary>
    public void Break()
    {
        Push(_last ?? DateTimeOffset.MinValue);
        _last = null;
    }

    private void Push(DateTimeOffset now)
    {
        _pushedAt = now;
        var milliseconds = _pendingTicks / TimeSpan.TicksPerMillisecond;
        if (milliseconds == 0)
        {
            return;
        }

        _pendingTicks -= milliseconds * TimeSpan.TicksPerMillisecond; // the sub-millisecond rest waits for the next push
        history.AddCoverage(camera, _bucketStart, milliseconds);
    }
}
