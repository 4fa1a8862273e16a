using System.Threading;

namespace HgCounter.Frames;

/// <summary>
/// One decoded video frame: packed BGR24 pixels (3 bytes a pixel, no row padding) in a pooled buffer.
/// Dispose returns the frame to its <see cref="FramePool"/>; the pixels must not be used afterwards.
/// </summary>
public sealed class Frame : IDisposable
{
    private readonly FramePool? _pool;
    private byte[] _buffer;
    private int _rented;

    internal Frame(FramePool? pool, int capacity)
    {
        _pool = pool;
        _buffer = new byte[capacity];
    }

    /// <summary>Creates a frame that owns its buffer and is not pooled (tests, one-off frames).</summary>
    public static Frame CreateUnpooled(int width, int height, string cameraName = "", long sequence = 0, DateTimeOffset timestamp = default)
    {
        var frame = new Frame(null, checked(width * height * 3));
        frame.Initialize(width, height, cameraName, sequence, timestamp);
        return frame;
    }

    /// <summary>Width in pixels.</summary>
    public int Width { get; private set; }

    /// <summary>Height in pixels.</summary>
    public int Height { get; private set; }

    /// <summary>Bytes a row: <c>Width * 3</c>.</summary>
    public int Stride => Width * 3;

    /// <summary>Number of pixel bytes: <c>Width * Height * 3</c>.</summary>
    public int Length => Width * Height * 3;

    /// <summary>The camera this frame came from.</summary>
    public string CameraName { get; private set; } = string.Empty;

    /// <summary>Sequence number of this frame within its source, starting at 0; gaps mean dropped frames.</summary>
    public long Sequence { get; private set; }

    /// <summary>When the frame was captured (read from the source), from the source's <see cref="TimeProvider"/>.</summary>
    public DateTimeOffset Timestamp { get; private set; }

    /// <summary>
    /// Width of the camera's coordinate space (lines, zones, counted boxes); equal to <see cref="Width"/> unless the
    /// decoder scaled the picture down for the detector. Reset to <see cref="Width"/> whenever the frame is rented.
    /// </summary>
    public int CoordinateWidth { get; private set; }

    /// <summary>Height of the camera's coordinate space; equal to <see cref="Height"/> unless the decoder scaled the picture down.</summary>
    public int CoordinateHeight { get; private set; }

    /// <summary>Multiplies an x (or a width) in this frame's pixels to get coordinate pixels; 1 when the frame is not scaled.</summary>
    public float CoordinateScaleX => CoordinateWidth == Width ? 1f : (float)CoordinateWidth / Width;

    /// <summary>Multiplies a y (or a height) in this frame's pixels to get coordinate pixels; 1 when the frame is not scaled.</summary>
    public float CoordinateScaleY => CoordinateHeight == Height ? 1f : (float)CoordinateHeight / Height;

    /// <summary>Whether the frame is smaller (or larger) than the camera's coordinate space.</summary>
    public bool IsScaled => CoordinateWidth != Width || CoordinateHeight != Height;

    /// <summary>The BGR24 pixels.</summary>
    public Span<byte> Pixels => _buffer.AsSpan(0, Length);

    /// <summary>The BGR24 pixels as memory, for APIs that need it (native wrappers, async writes).</summary>
    public Memory<byte> Memory => _buffer.AsMemory(0, Length);

    /// <summary>The underlying buffer; may be longer than <see cref="Length"/>. For native interop that needs an array.</summary>
    public byte[] Buffer => _buffer;

    /// <summary>Sets the metadata of this frame; used by sources that fill a rented frame.</summary>
    public void SetMetadata(string cameraName, long sequence, DateTimeOffset timestamp)
    {
        CameraName = cameraName;
        Sequence = sequence;
        Timestamp = timestamp;
    }

    /// <summary>Sets the size of the camera's coordinate space this frame was scaled from; used by sources that scale in the decoder.</summary>
    public void SetCoordinateSize(int width, int height)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(width, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(height, 1);
        CoordinateWidth = width;
        CoordinateHeight = height;
    }

    internal void Initialize(int width, int height, string cameraName, long sequence, DateTimeOffset timestamp)
    {
        var needed = checked(width * height * 3);
        if (_buffer.Length < needed)
        {
            _buffer = new byte[needed];
        }

        Width = width;
        Height = height;
        CoordinateWidth = width;
        CoordinateHeight = height;
        SetMetadata(cameraName, sequence, timestamp);
        Volatile.Write(ref _rented, 1);
    }

    internal int Capacity => _buffer.Length;

    /// <summary>Copies pixels and metadata (coordinate size included) into <paramref name="destination"/>, which must have the same size.</summary>
    public void CopyTo(Frame destination)
    {
        ArgumentNullException.ThrowIfNull(destination);
        if (destination.Width != Width || destination.Height != Height)
        {
            throw new ArgumentException($"Destination is {destination.Width}x{destination.Height}, source is {Width}x{Height}.", nameof(destination));
        }

        Pixels.CopyTo(destination.Pixels);
        destination.SetMetadata(CameraName, Sequence, Timestamp);
        destination.SetCoordinateSize(CoordinateWidth, CoordinateHeight);
    }

    /// <summary>Returns the frame to its pool. Safe to call more than once.</summary>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _rented, 0) == 1)
        {
            _pool?.Return(this);
        }
    }
}
