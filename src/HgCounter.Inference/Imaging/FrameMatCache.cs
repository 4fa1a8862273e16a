using HgCounter.Frames;
using OpenCvSharp;

namespace HgCounter.Inference.Imaging;

/// <summary>
/// Wraps frame pixel buffers in OpenCV <see cref="Mat"/> headers without copying, and keeps the few most recent
/// wrappers: frames come from a pool, so the same buffers return and steady-state frames need no new Mat.
/// Owns (and disposes) every Mat it made.
/// </summary>
internal sealed class FrameMatCache : IDisposable
{
    private readonly Entry?[] _entries;
    private int _next;

    public FrameMatCache(int capacity = 16)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        _entries = new Entry?[capacity];
    }

    /// <summary>An input array over the frame's pixels (CV_8UC3, BGR); valid until the frame's buffer changes or this cache is disposed.</summary>
    public InputArray Get(Frame frame)
    {
        foreach (var entry in _entries)
        {
            if (entry is not null && ReferenceEquals(entry.Buffer, frame.Buffer) && entry.Width == frame.Width && entry.Height == frame.Height)
            {
                return entry.Input;
            }
        }

        _entries[_next]?.Dispose();
        var created = new Entry(frame);
        _entries[_next] = created;
        _next = (_next + 1) % _entries.Length;
        return created.Input;
    }

    public void Dispose()
    {
        for (var i = 0; i < _entries.Length; i++)
        {
            _entries[i]?.Dispose();
            _entries[i] = null;
        }
    }

    private sealed class Entry : IDisposable
    {
        private readonly Mat _mat;

        public Entry(Frame frame)
        {
            Buffer = frame.Buffer;
            Width = frame.Width;
            Height = frame.Height;

            // Pins the buffer for the life of the Mat; the pool keeps these arrays alive anyway.
            _mat = Mat.FromPixelData(frame.Height, frame.Width, MatType.CV_8UC3, frame.Buffer);
            Input = InputArray.Create(_mat);
        }

        public byte[] Buffer { get; }

        public int Width { get; }

        public int Height { get; }

        public InputArray Input { get; }

        public void Dispose()
        {
            Input.Dispose();
            _mat.Dispose();
        }
    }
}
