using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace HgCounter.Inference.Imaging;

/// <summary>
/// Turns packed BGR24 frames into a YOLO input tensor: resized keeping the aspect ratio (bilinear, like
/// <c>cv2.resize</c> with <c>INTER_LINEAR</c>), centred on a <see cref="PadValue"/> grey canvas, written as planar
/// RGB floats in 0..1 (<c>[1, 3, H, W]</c>) straight into <see cref="Tensor"/>. One instance per stream;
/// steady-state calls allocate nothing (sampling tables are rebuilt only when the frame size changes).
/// </summary>
public sealed class LetterboxPreprocessor
{
    /// <summary>The padding value used by Ultralytics exports (114 on every channel).</summary>
    public const byte PadValue = 114;

    private const float InverseByte = 1f / 255f;

    private readonly int[] _xOffset0;
    private readonly int[] _xOffset1;
    private readonly float[] _xWeight;
    private readonly int[] _yOffset0;
    private readonly int[] _yOffset1;
    private readonly float[] _yWeight;
    private int _sourceWidth;
    private int _sourceHeight;
    private int _resizedWidth;
    private int _resizedHeight;
    private LetterboxTransform _transform;

    /// <summary>Creates a preprocessor for a model input of <paramref name="inputWidth"/> x <paramref name="inputHeight"/>.</summary>
    public LetterboxPreprocessor(int inputWidth, int inputHeight)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(inputWidth, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(inputHeight, 1);
        InputWidth = inputWidth;
        InputHeight = inputHeight;
        Tensor = new float[3 * inputWidth * inputHeight];
        _xOffset0 = new int[inputWidth];
        _xOffset1 = new int[inputWidth];
        _xWeight = new float[inputWidth];
        _yOffset0 = new int[inputHeight];
        _yOffset1 = new int[inputHeight];
        _yWeight = new float[inputHeight];
    }

    /// <summary>Model input width in pixels.</summary>
    public int InputWidth { get; }

    /// <summary>Model input height in pixels.</summary>
    public int InputHeight { get; }

    /// <summary>The input tensor, <c>[1, 3, InputHeight, InputWidth]</c> planar RGB in 0..1; wrap it once in an OrtValue.</summary>
    public float[] Tensor { get; }

    /// <summary>Letterboxes a packed BGR24 image (no row padding) into <see cref="Tensor"/>.</summary>
    /// <returns>The mapping from model-input pixels back to source pixels.</returns>
    public LetterboxTransform Process(ReadOnlySpan<byte> bgr, int width, int height)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(width, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(height, 1);
        if (bgr.Length < checked(width * height * 3))
        {
            throw new ArgumentException($"Expected at least {width * height * 3} bytes for {width}x{height} BGR24, got {bgr.Length}.", nameof(bgr));
        }

        if (width != _sourceWidth || height != _sourceHeight)
        {
            Configure(width, height);
        }

        Resample(bgr);
        return _transform;
    }

    private void Configure(int width, int height)
    {
        // Same geometry as Ultralytics' LetterBox: one scale, centred, padding split with the extra pixel at the bottom/right.
        var scale = Math.Min((float)InputWidth / width, (float)InputHeight / height);
        var resizedWidth = Math.Clamp((int)MathF.Round(width * scale), 1, InputWidth);
        var resizedHeight = Math.Clamp((int)MathF.Round(height * scale), 1, InputHeight);
        var left = (int)MathF.Round(((InputWidth - resizedWidth) / 2f) - 0.1f);
        var top = (int)MathF.Round(((InputHeight - resizedHeight) / 2f) - 0.1f);

        BuildTaps(width, resizedWidth, 3, _xOffset0, _xOffset1, _xWeight);
        BuildTaps(height, resizedHeight, width * 3, _yOffset0, _yOffset1, _yWeight);

        // The canvas outside the resized image never changes for this geometry: paint it once.
        Tensor.AsSpan().Fill(PadValue * InverseByte);

        _sourceWidth = width;
        _sourceHeight = height;
        _resizedWidth = resizedWidth;
        _resizedHeight = resizedHeight;
        _transform = new LetterboxTransform(scale, left, top, width, height);
    }

    // Bilinear taps with pixel-centre alignment (OpenCV INTER_LINEAR): offsets are in bytes.
    private static void BuildTaps(int sourceSize, int resizedSize, int step, int[] offset0, int[] offset1, float[] weight)
    {
        var ratio = (double)sourceSize / resizedSize;
        for (var i = 0; i < resizedSize; i++)
        {
            var position = ((i + 0.5) * ratio) - 0.5;
            var index = (int)Math.Floor(position);
            var fraction = (float)(position - index);
            if (index < 0)
            {
                index = 0;
                fraction = 0;
            }

            if (index >= sourceSize - 1)
            {
                index = sourceSize - 1;
                fraction = 0;
            }

            offset0[i] = index * step;
            offset1[i] = Math.Min(index + 1, sourceSize - 1) * step;
            weight[i] = fraction;
        }
    }

    private void Resample(ReadOnlySpan<byte> bgr)
    {
        ref var source = ref MemoryMarshal.GetReference(bgr);
        var plane = InputWidth * InputHeight;
        var left = (int)_transform.PadX;
        var top = (int)_transform.PadY;
        ref var tensor = ref MemoryMarshal.GetArrayDataReference(Tensor);
        ref var x0 = ref MemoryMarshal.GetArrayDataReference(_xOffset0);
        ref var x1 = ref MemoryMarshal.GetArrayDataReference(_xOffset1);
        ref var xw = ref MemoryMarshal.GetArrayDataReference(_xWeight);

        for (var dy = 0; dy < _resizedHeight; dy++)
        {
            var row0 = _yOffset0[dy];
            var row1 = _yOffset1[dy];
            var wy = _yWeight[dy];
            ref var red = ref Unsafe.Add(ref tensor, ((top + dy) * InputWidth) + left);
            ref var green = ref Unsafe.Add(ref red, plane);
            ref var blue = ref Unsafe.Add(ref green, plane);
            for (var dx = 0; dx < _resizedWidth; dx++)
            {
                var a = row0 + Unsafe.Add(ref x0, dx);
                var b = row0 + Unsafe.Add(ref x1, dx);
                var c = row1 + Unsafe.Add(ref x0, dx);
                var d = row1 + Unsafe.Add(ref x1, dx);
                var wx = Unsafe.Add(ref xw, dx);
                Unsafe.Add(ref blue, dx) = Blend(ref source, a, b, c, d, wx, wy);
                Unsafe.Add(ref green, dx) = Blend(ref source, a + 1, b + 1, c + 1, d + 1, wx, wy);
                Unsafe.Add(ref red, dx) = Blend(ref source, a + 2, b + 2, c + 2, d + 2, wx, wy);
            }
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static float Blend(ref byte source, int a, int b, int c, int d, float wx, float wy)
    {
        float pa = Unsafe.Add(ref source, a);
        float pc = Unsafe.Add(ref source, c);
        var upper = pa + ((Unsafe.Add(ref source, b) - pa) * wx);
        var lower = pc + ((Unsafe.Add(ref source, d) - pc) * wx);
        return (upper + ((lower - upper) * wy)) * InverseByte;
    }
}
