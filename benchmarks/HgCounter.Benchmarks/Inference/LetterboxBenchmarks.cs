using BenchmarkDotNet.Attributes;
using HgCounter.Inference.Imaging;
using Microsoft.ML.OnnxRuntime.Tensors;
using OpenCvSharp;
using OpenCvSharp.Dnn;

namespace HgCounter.Benchmarks.Inference;

/// <summary>
/// Letterbox to 640x640 + CHW float normalisation: <see cref="LetterboxPreprocessor"/> (writes into its reusable tensor)
/// against the usual OpenCV route (Resize + CopyMakeBorder + BlobFromImage, copied into a DenseTensor).
/// </summary>
[MemoryDiagnoser]
public class LetterboxBenchmarks
{
    private const int InputSize = 640;
    private byte[] _bgr = [];
    private Mat _source = new();
    private LetterboxPreprocessor _letterbox = null!;
    private int _resizedWidth;
    private int _resizedHeight;
    private int _padX;
    private int _padY;

    [Params("1280x720", "1920x1080")]
    public string Resolution { get; set; } = "1280x720";

    private int Width => int.Parse(Resolution.AsSpan(0, Resolution.IndexOf('x', StringComparison.Ordinal)), provider: null);

    private int Height => int.Parse(Resolution.AsSpan(Resolution.IndexOf('x', StringComparison.Ordinal) + 1), provider: null);

    [GlobalSetup]
    public void Setup()
    {
        _bgr = new byte[Width * Height * 3];
        new Random(42).NextBytes(_bgr);
        _source = Mat.FromPixelData(Height, Width, MatType.CV_8UC3, _bgr);
        _letterbox = new LetterboxPreprocessor(InputSize, InputSize);
        var transform = _letterbox.Process(_bgr, Width, Height);
        _resizedWidth = (int)MathF.Round(Width * transform.Scale);
        _resizedHeight = (int)MathF.Round(Height * transform.Scale);
        _padX = (int)transform.PadX;
        _padY = (int)transform.PadY;
    }

    [GlobalCleanup]
    public void Cleanup() => _source.Dispose();

    [Benchmark(Baseline = true)]
    public DenseTensor<float> OpenCvBlobFromImage()
    {
        using var resized = new Mat();
        Cv2.Resize(_source, resized, new Size(_resizedWidth, _resizedHeight), 0, 0, InterpolationFlags.Linear);
        using var padded = new Mat();
        Cv2.CopyMakeBorder(resized, padded, _padY, InputSize - _resizedHeight - _padY, _padX, InputSize - _resizedWidth - _padX,
            BorderTypes.Constant, new Scalar(114, 114, 114));
        using var blob = CvDnn.BlobFromImage(padded, 1 / 255.0, new Size(InputSize, InputSize), default, swapRB: true, crop: false);
        var data = new float[3 * InputSize * InputSize];
        System.Runtime.InteropServices.Marshal.Copy(blob.Data, data, 0, data.Length);
        return new DenseTensor<float>(data, [1, 3, InputSize, InputSize]);
    }

    [Benchmark]
    public float LetterboxPreprocessor() => _letterbox.Process(_bgr, Width, Height).Scale;
}
