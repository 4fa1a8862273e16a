using HgCounter.Configuration;
using HgCounter.Detection;
using HgCounter.Frames;
using HgCounter.Inference.Counting;
using HgCounter.Inference.Detectors;
using HgCounter.Inference.Tracking;
using HgCounter.Testing;
using HgCounter.Tracking;

namespace HgCounter.Inference.Tests.EndToEnd;

/// <summary>frames → detector → tracker → line counter, as the agent runs it, for tests.</summary>
internal sealed class CountingPipeline : IDisposable
{
    private readonly IDetector _detector;
    private readonly IDisposable? _factory;
    private readonly List<ObjectDetection> _detections = [];
    private readonly List<Track> _tracks = [];

    private CountingPipeline(IDetector detector, IDisposable? factory, IEnumerable<LineOptions> lines, TrackerOptions? trackerOptions)
    {
        _detector = detector;
        _factory = factory;
        Tracker = new ByteTracker(trackerOptions);
        Counter = new LineCounter("cam1", lines);
    }

    public static string ModelPath => Path.Combine(TestPaths.RepositoryRoot, "models", "synthetic-yolov8.onnx");

    public ByteTracker Tracker { get; }

    public LineCounter Counter { get; }

    public List<LineCrossing> Crossings { get; } = [];

    /// <summary>Every confirmed track id seen, for checks that the pipeline saw the objects at all.</summary>
    public HashSet<long> ConfirmedTrackIds { get; } = [];

    public int Frames { get; private set; }

    public static CountingPipeline Create(string detector, IEnumerable<LineOptions> lines, MotionDetectorOptions? motion = null, TrackerOptions? tracker = null)
    {
        if (detector is "onnx" or "onnx-ungated")
        {
            var options = new OnnxDetectorOptions { ModelPath = ModelPath };
            options.Gating.Enabled = detector == "onnx";
            var factory = new OnnxDetectorFactory(options);
            return new CountingPipeline(factory.Create("cam1"), factory, lines, tracker);
        }

        return new CountingPipeline(new MotionDetectorFactory(motion ?? new MotionDetectorOptions()).Create("cam1"), null, lines, tracker);
    }

    public void Process(Frame frame)
    {
        _detector.Detect(frame, _detections);
        Tracker.Update(_detections, _tracks);
        foreach (var t in _tracks)
        {
            if (t.IsConfirmed)
            {
                ConfirmedTrackIds.Add(t.Id);
            }
        }

        Counter.Update(_tracks, frame.Sequence, frame.Timestamp, Crossings);
        Frames++;
    }

    public async Task RunAsync(IFrameSource source, CancellationToken cancellationToken)
    {
        await source.OpenAsync(cancellationToken);
        while (await source.ReadAsync(cancellationToken) is { } frame)
        {
            using (frame)
            {
                Process(frame);
            }
        }
    }

    public void Dispose()
    {
        _detector.Dispose();
        _factory?.Dispose();
    }
}
