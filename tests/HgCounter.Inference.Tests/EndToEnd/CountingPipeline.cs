using HgCounter.Configuration;
using HgCounter.Detection;
using HgCounter.Frames;
using HgCounter.Inference.Counting;
using HgCounter.Inference.Detectors;
using HgCounter.Inference.Tracking;
using HgCounter.Testing;
using HgCounter.Tracking;

namespace HgCounter.Inference.Tests.EndToEnd;

/// <summary>The library's <see cref="HgCounter.Counting.CountingPipeline"/> over a test detector, keeping what the tests inspect.</summary>
internal sealed class CountingPipeline : IDisposable
{
    private readonly HgCounter.Counting.CountingPipeline _pipeline;
    private readonly IDisposable? _factory;

    private CountingPipeline(IDetector detector, IDisposable? factory, IEnumerable<LineOptions> lines, TrackerOptions? trackerOptions)
    {
        _factory = factory;
        Tracker = new ByteTracker(trackerOptions);
        Counter = new LineCounter("cam1", lines);
        _pipeline = new HgCounter.Counting.CountingPipeline(detector, Tracker, Counter);
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
        _pipeline.Process(frame, Crossings);
        foreach (var t in _pipeline.LastTracks)
        {
            if (t.IsConfirmed)
            {
                ConfirmedTrackIds.Add(t.Id);
            }
        }

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
        _pipeline.Dispose(); // and its detector
        _factory?.Dispose();
    }
}
