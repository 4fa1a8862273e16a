using HgCounter.Configuration;
using HgCounter.Counting;
using HgCounter.Detection;
using HgCounter.Frames;
using HgCounter.Inference.Counting;
using HgCounter.Inference.Tracking;

namespace HgCounter.Inference.Tests.Pipeline;

public sealed class CountingPipelineTests
{
    [Fact]
    public void Process_FrameScaledDownByTheDecoder_DetectionsInCoordinatePixels()
    {
        using var pipeline = Create(new BoundingBox(100, 50, 20, 40));
        using var frame = Frame.CreateUnpooled(640, 360);
        frame.SetCoordinateSize(1280, 720);

        pipeline.Process(frame, []);

        pipeline.LastDetections.Should().ContainSingle().Which.Box.Should().Be(new BoundingBox(200, 100, 40, 80));
    }

    [Fact]
    public void Process_UnscaledFrame_DetectionsUnchanged()
    {
        var box = new BoundingBox(100.5f, 50.25f, 20, 40);
        using var pipeline = Create(box);
        using var frame = Frame.CreateUnpooled(640, 360);

        pipeline.Process(frame, []);

        pipeline.LastDetections.Single().Box.Should().Be(box);
    }

    [Fact]
    public void Process_ScaledFrameSteadyState_AllocatesNothing()
    {
        using var pipeline = Create(new BoundingBox(100, 50, 20, 40));
        using var frame = Frame.CreateUnpooled(640, 360);
        frame.SetCoordinateSize(1280, 720);
        var events = new List<LineCrossing>(4);
        for (var i = 0; i < 10; i++)
        {
            pipeline.Process(frame, events);
        }

        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 100; i++)
        {
            pipeline.Process(frame, events);
        }

        (GC.GetAllocatedBytesForCurrentThread() - before).Should().Be(0);
    }

    [Fact]
    public void PreferredFrameSize_TheDetectorsHint()
    {
        using var pipeline = Create(default);

        pipeline.PreferredFrameSize.Should().Be(new FrameSizeHint(320, 320));
    }

    private static CountingPipeline Create(BoundingBox box) =>
        new(new FixedDetector(box), new ByteTracker(), new LineCounter("cam", [new LineOptions { Name = "door", Start = [640, 0], End = [640, 720] }]));

    /// <summary>Finds the same box in every frame, in the frame's pixels.</summary>
    private sealed class FixedDetector(BoundingBox box) : IDetector
    {
        public IReadOnlyList<string> ClassNames { get; } = ["person"];

        public FrameSizeHint? PreferredFrameSize => new FrameSizeHint(320, 320);

        public void Detect(Frame frame, List<ObjectDetection> detections)
        {
            detections.Clear();
            detections.Add(new ObjectDetection(box, 0, "person", 0.9f));
        }

        public void Dispose()
        {
        }
    }
}
