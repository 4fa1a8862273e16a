using System.Runtime.InteropServices;
using OpenCvSharp;
using OpenCvSharp.Internal;

namespace HgCounter.Inference.Imaging;

/// <summary>
/// Turns packed BGR24 frames into a YOLO input tensor: resized keeping the aspect ratio (OpenCV <c>INTER_LINEAR</c>,
/// as Ultralytics does), centred on a <see cref="PadValue"/> grey canvas, written as planar RGB floats in 0..1
/// (<c>[1, 3, H, W]</c>) straight into <see cref="Tensor"/>. One instance per stream; steady-state calls allocate no
/// managed memory: the resize writes into a pinned buffer of this instance through native Mat headers made per call.
/// </summary>
internal sealed class LetterboxPreprocessor : IDisposable
{
    /// <summary>The padding value used by Ultralytics exports (114 on every channel).</summary>
    public const byte PadValue = 114;

    private const float InverseByte = 1f / 255f;

    private readonly byte[] _resized;
    private GCHandle _resizedPin;
    private IntPtr _resizedMat;
    private IntPtr _resizedOut;
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
        _resized = new byte[3 * inputWidth * inputHeight];
        _resizedPin = GCHandle.Alloc(_resized, GCHandleType.Pinned);
    }

    /// <summary>Model input width in pixels.</summary>
    public int InputWidth { get; }

    /// <summary>Model input height in pixels.</summary>
    public int InputHeight { get; }

    /// <summary>The input tensor, <c>[1, 3, InputHeight, InputWidth]</c> planar RGB in 0..1; wrap it once in an OrtValue.</summary>
    public float[] Tensor { get; }

    /// <summary>Letterboxes a packed BGR24 image (no row padding) into <see cref="Tensor"/>.</summary>
    /// <returns>The mapping from model-input pixels back to source pixels.</returns>
    public LetterboxTransform Process(byte[] bgr, int width, int height)
    {
        ArgumentNullException.ThrowIfNull(bgr);
        ObjectDisposedException.ThrowIf(!_resizedPin.IsAllocated, this);
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

        Resize(bgr);
        Normalise();
        return _transform;
    }

    /// <summary>Frees the native headers and unpins the resize buffer.</summary>
    public void Dispose()
    {
        ReleaseResizedMat();
        if (_resizedPin.IsAllocated)
        {
            _resizedPin.Free();
        }
    }

    private void Configure(int width, int height)
    {
        var transform = LetterboxTransform.Fit(width, height, InputWidth, InputHeight, out var resizedWidth, out var resizedHeight);

        // A Mat header of exactly the resized size over the pinned buffer: cv::resize then writes there without reallocating.
        ReleaseResizedMat();
        Check(NativeMethods.core_Mat_new8(resizedHeight, resizedWidth, MatType.CV_8UC3, _resizedPin.AddrOfPinnedObject(),
            resizedWidth * 3, out _resizedMat));
        Check(NativeMethods.core_OutputArray_new_byMat(_resizedMat, out _resizedOut));

        // The canvas outside the resized image never changes for this geometry: paint it once.
        Tensor.AsSpan().Fill(PadValue * InverseByte);

        _sourceWidth = width;
        _sourceHeight = height;
        _resizedWidth = resizedWidth;
        _resizedHeight = resizedHeight;
        _transform = transform;
    }

    private static void Check(ExceptionStatus status) => NativeMethods.HandleException(status);

    private void ReleaseResizedMat()
    {
        if (_resizedOut != IntPtr.Zero)
        {
            Check(NativeMethods.core_OutputArray_delete(_resizedOut));
            _resizedOut = IntPtr.Zero;
        }

        if (_resizedMat != IntPtr.Zero)
        {
            Check(NativeMethods.core_Mat_delete(_resizedMat));
            _resizedMat = IntPtr.Zero;
        }
    }

    // Native Mat/InputArray headers over the caller's pixels: the managed OpenCvSharp wrappers would allocate per frame.
    private void Resize(byte[] bgr)
    {
        var pin = GCHandle.Alloc(bgr, GCHandleType.Pinned);
        var source = IntPtr.Zero;
        var input = IntPtr.Zero;
        try
        {
            Check(NativeMethods.core_Mat_new8(_sourceHeight, _sourceWidth, MatType.CV_8UC3, pin.AddrOfPinnedObject(), _sourceWidth * 3, out source));
            Check(NativeMethods.core_InputArray_new_byMat(source, out input));
            Check(NativeMethods.imgproc_resize(input, _resizedOut, new Size(_resizedWidth, _resizedHeight), 0, 0, (int)InterpolationFlags.Linear));
        }
        finally
        {
            if (input != IntPtr.Zero)
            {
                Check(NativeMethods.core_InputArray_delete(input));
            }

            if (source != IntPtr.Zero)
            {
                Check(NativeMethods.core_Mat_delete(source));
            }

            pin.Free();
        }
    }

    // Interleaved BGR bytes -> planar RGB floats inside the padding.
    private void Normalise() => PlanarRgbWriter.Write(_resized.AsSpan(0, _resizedWidth * _resizedHeight * 3), _resizedWidth, _resizedHeight,
        Tensor, InputWidth, InputHeight, (int)_transform.PadX, (int)_transform.PadY);
}
