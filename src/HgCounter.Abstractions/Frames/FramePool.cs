using System.Collections.Concurrent;

namespace HgCounter.Frames;

/// <summary>
/// Recycles <see cref="Frame"/> objects and their pixel buffers so that steady-state ingest allocates nothing.
/// Thread-safe: frames are rented on the reading thread and may be disposed on another.
/// </summary>
public sealed class FramePool
{
    private readonly ConcurrentQueue<Frame> _free = new();
    private readonly int _maxRetained;
    private int _retained;

    /// <summary>Creates a pool that keeps at most <paramref name="maxRetained"/> idle frames.</summary>
    public FramePool(int maxRetained = 8)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxRetained, 1);
        _maxRetained = maxRetained;
    }

    /// <summary>A process-wide pool for callers that do not manage their own.</summary>
    public static FramePool Shared { get; } = new(64);

    /// <summary>Rents a frame of the given size; its pixels are not cleared.</summary>
    public Frame Rent(int width, int height, string cameraName, long sequence, DateTimeOffset timestamp)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(width, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(height, 1);
        var needed = checked(width * height * 3);
        if (!_free.TryDequeue(out var frame))
        {
            frame = new Frame(this, needed);
        }
        else
        {
            Interlocked.Decrement(ref _retained);
        }

        frame.Initialize(width, height, cameraName, sequence, timestamp);
        return frame;
    }

    internal void Return(Frame frame)
    {
        if (Interlocked.Increment(ref _retained) <= _maxRetained)
        {
            _free.Enqueue(frame);
        }
        else
        {
            Interlocked.Decrement(ref _retained);
        }
    }
}
