using BenchmarkDotNet.Attributes;
using HgCounter.Benchmarks.Pipeline;
using HgCounter.Detection;
using HgCounter.Frames;
using HgCounter.Inference.Detectors;
using HgCounter.Inference.Imaging;
using HgCounter.Rtsp.Synthetic;
using OpenCvSharp;

namespace HgCounter.Benchmarks.Inference;

/// <summary>
/// The real model's cost on real footage: a COCO YOLOv8n (int8, <see cref="RepoPaths.RealModel"/>) on frames of OpenCV's
/// vtest.avi (768×576 pedestrians), one intra-op thread, spinning off: the letterbox of a frame alone, and one whole
/// <see cref="OnnxYoloDetector.Detect"/> (letterbox + inference + decode and NMS), which is what a camera pays per
/// processed frame. Where the model or the clip is absent (a user's clone, a machine without opencv-doc) the repo's
/// synthetic model or the 640×360 demo scene stands in and the <see cref="Model"/> / <see cref="Footage"/> parameter says
/// so (<c>synthetic-fallback</c>, <c>demo-scene-fallback</c>: BenchmarkDotNet shows 20 characters of a parameter): the
/// quick run keeps passing and nobody takes that figure for the real one.
/// </summary>
[MemoryDiagnoser]
public class RealModelBenchmarks
{
    /// <summary>Distinct frames walked per invocation (from frame 100 on, people in view), so the NMS sees varied content.</summary>
    public const int Frames = 8;
    private const int FirstFrame = 100;
    private static readonly bool HasRealModel = File.Exists(RepoPaths.RealModel);
    private static readonly bool HasVtest = File.Exists(RepoPaths.Vtest);

    private readonly List<ObjectDetection> _detections = new(300);
    private Frame[] _frames = [];
    private OnnxYoloModel _model = null!;
    private OnnxYoloDetector _detector = null!;
    private LetterboxPreprocessor _letterbox = null!;

    [ParamsSource(nameof(Models))]
    public string Model { get; set; } = string.Empty;

    [ParamsSource(nameof(Footages))]
    public string Footage { get; set; } = string.Empty;

    public static IEnumerable<string> Models() =>
        [HasRealModel ? Path.GetFileNameWithoutExtension(RepoPaths.RealModel) : "synthetic-fallback"];

    public static IEnumerable<string> Footages() => [HasVtest ? "vtest.avi 768x576" : "demo-scene-fallback"];

    [GlobalSetup]
    public void Setup()
    {
        _frames = HasVtest ? ReadVtest() : RenderDemo();
        _model = OnnxYoloModel.Load(HasRealModel ? RepoPaths.RealModel : RepoPaths.SyntheticModel, intraOpThreads: 1, allowSpinning: false);
        _detector = new OnnxYoloDetector(_model);
        _letterbox = new LetterboxPreprocessor(_model.InputWidth, _model.InputHeight);

        // Warm-up walk (first runs initialise the session's kernels), and what the model sees.
        var detections = 0;
        foreach (var frame in _frames)
        {
            _detector.Detect(frame, _detections);
            detections += _detections.Count;
        }

        var last = string.Join(", ", _detections.GroupBy(d => d.Label).Select(g => $"{g.Count()} {g.Key}"));
        Console.WriteLine($"// {_model.ModelPath} on {(HasVtest ? RepoPaths.Vtest : "the demo scene")}: {detections / (double)Frames:F1} detections per frame{(last.Length > 0 ? $" ({last} on the last)" : "")}");
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _letterbox.Dispose();
        _detector.Dispose();
        _model.Dispose();
        foreach (var frame in _frames)
        {
            frame.Dispose();
        }
    }

    [Benchmark(OperationsPerInvoke = Frames, Description = "letterbox (LetterboxPreprocessor)")]
    public float Letterbox()
    {
        var scale = 0f;
        foreach (var frame in _frames)
        {
            scale += _letterbox.Process(frame.Buffer, frame.Width, frame.Height).Scale;
        }

        return scale;
    }

    [Benchmark(OperationsPerInvoke = Frames, Description = "OnnxYoloDetector.Detect (letterbox + inference + NMS)")]
    public int Detect()
    {
        var count = 0;
        foreach (var frame in _frames)
        {
            _detector.Detect(frame, _detections);
            count += _detections.Count;
        }

        return count;
    }

    private static Frame[] ReadVtest()
    {
        using var capture = new VideoCapture(RepoPaths.Vtest);
        capture.Set(VideoCaptureProperties.PosFrames, FirstFrame);
        using var mat = new Mat();
        var frames = new Frame[Frames];
        for (var i = 0; i < Frames; i++)
        {
            if (!capture.Read(mat) || mat.Empty() || mat.Type() != MatType.CV_8UC3 || !mat.IsContinuous())
            {
                throw new InvalidOperationException($"cannot read frame {FirstFrame + i} of {RepoPaths.Vtest} as continuous BGR");
            }

            frames[i] = Frame.CreateUnpooled(mat.Width, mat.Height, "vtest", FirstFrame + i);
            mat.AsSpan<byte>().CopyTo(frames[i].Pixels);
        }

        return frames;
    }

    private static Frame[] RenderDemo()
    {
        var scene = SyntheticScenes.Get("demo");
        var frames = new Frame[Frames];
        for (var i = 0; i < Frames; i++)
        {
            frames[i] = Frame.CreateUnpooled(scene.Width, scene.Height, "demo", FirstFrame + i);
            scene.Render(FirstFrame + i, frames[i]);
        }

        return frames;
    }
}
