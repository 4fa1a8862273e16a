using HgCounter.Configuration;
using HgCounter.Detection;
using HgCounter.Frames;
using HgCounter.Inference.Detectors;

namespace HgCounter.Inference.Tests.Detectors;

public sealed class MotionDetectorTests
{
    [Theory]
    [InlineData(640, 360)]
    [InlineData(1280, 720)]
    public void Detect_RectangleMovingAfterBackground_BoxCoversIt(int width, int height)
    {
        var s = width / 640;
        using var detector = new MotionDetector(new MotionDetectorOptions());
        using var frame = SyntheticScene.Create(width, height);
        var detections = new List<ObjectDetection>();
        Learn(detector, frame, 20, detections);
        detections.Should().BeEmpty("the background has not changed yet");

        var drawn = default(BoundingBox);
        for (var step = 0; step < 5; step++)
        {
            drawn = new BoundingBox((200 + (10 * step)) * s, 100 * s, 40 * s, 80 * s);
            SyntheticScene.Clear(frame);
            SyntheticScene.Fill(frame, (int)drawn.X, (int)drawn.Y, (int)drawn.Width, (int)drawn.Height, SyntheticScene.Person);
            detector.Detect(frame, detections);
        }

        detections.Should().ContainSingle().Which.Should().Match<ObjectDetection>(d => d.Label == "object" && d.ClassId == 0);
        var box = detections[0].Box;
        box.IoU(drawn).Should().BeGreaterThanOrEqualTo(0.7f, "box {0} should cover the moving rectangle {1}", box, drawn);
        Intersection(box, drawn).Should().BeGreaterThanOrEqualTo(0.9f * drawn.Area);
    }

    [Fact]
    public void Detect_StaticNoisyScene_FindsNothing()
    {
        using var detector = new MotionDetector(new MotionDetectorOptions());
        using var frame = SyntheticScene.Create(640, 360);
        SyntheticScene.Fill(frame, 300, 100, 40, 80, SyntheticScene.Person);
        var random = new Random(7);
        var detections = new List<ObjectDetection>();
        var found = 0;

        for (var i = 0; i < 60; i++)
        {
            AddNoise(frame, random, 3);
            detector.Detect(frame, detections);
            if (i >= 10)
            {
                found += detections.Count;
            }
        }

        found.Should().Be(0);
    }

    [Theory]
    [InlineData(1, 0)]
    [InlineData(2, 1)]
    public void Detect_FrameScaledDownByTheDecoder_MinAreaComparedInSourcePixels(int coordinateScale, int expected)
    {
        // A 12x12 square is 144 frame pixels; at half size it stands for 576 source pixels, above a MinArea of 400.
        using var detector = new MotionDetector(new MotionDetectorOptions { MinArea = 400 });
        using var frame = SyntheticScene.Create(640, 360);
        frame.SetCoordinateSize(640 * coordinateScale, 360 * coordinateScale);
        var detections = MoveSmallSquare(detector, frame);

        detections.Should().HaveCount(expected);
        detections.Where(d => d.Box.Width > 30).Should().BeEmpty("boxes stay in the frame's pixels (the square is 12 wide there); the pipeline maps them");
    }

    [Fact]
    public void PreferredFrameSize_WorkingWidth_NoHeightLimit()
    {
        using var detector = new MotionDetector(new MotionDetectorOptions());

        ((IDetector)detector).PreferredFrameSize.Should().Be(new FrameSizeHint(MotionDetector.WorkingWidth, FrameSizeHint.Unbounded));
    }

    [Theory]
    [InlineData(400, 0)]
    [InlineData(50, 1)]
    public void Detect_SmallMovingSquare_ReportedOnlyAboveMinArea(int minArea, int expected)
    {
        using var detector = new MotionDetector(new MotionDetectorOptions { MinArea = minArea, Label = "motion" });
        using var frame = SyntheticScene.Create(640, 360);
        var detections = MoveSmallSquare(detector, frame);

        detections.Select(d => d.Label).Should().Equal(Enumerable.Repeat("motion", expected));
    }

    [Fact]
    public void Detect_SteadyStateOnPooledFrames_AllocatesNothing()
    {
        var pool = new FramePool(2);
        using var detector = new MotionDetector(new MotionDetectorOptions());
        var detections = new List<ObjectDetection>(16);
        void Step(int i)
        {
            using var frame = pool.Rent(1280, 720, "cam", i, default);
            SyntheticScene.Clear(frame);
            SyntheticScene.Fill(frame, 100 + (8 * i), 200, 80, 160, SyntheticScene.Person);
            detector.Detect(frame, detections);
        }

        for (var i = 0; i < 10; i++)
        {
            Step(i);
        }

        var before = GC.GetAllocatedBytesForCurrentThread();
        Step(10);
        Step(11);
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        allocated.Should().Be(0);
        detections.Should().ContainSingle();
    }

    [Fact]
    public void Factory_Create_GivesIndependentMotionDetectors()
    {
        var factory = new MotionDetectorFactory(new MotionDetectorOptions());
        using var first = factory.Create("cam1");
        using var second = factory.Create("cam2");
        using var background = SyntheticScene.Create(640, 360);
        using var withObject = SyntheticScene.Create(640, 360);
        SyntheticScene.Fill(withObject, 100, 100, 40, 80, SyntheticScene.Person);
        var detections = new List<ObjectDetection>();
        Learn(first, background, 20, detections);
        Learn(second, withObject, 20, detections);

        first.Detect(withObject, detections);
        var firstSees = detections.Count;
        second.Detect(withObject, detections);

        factory.Name.Should().Be("motion");
        first.ClassNames.Should().Equal("object");
        firstSees.Should().Be(1, "the object is new to the first camera's background");
        detections.Should().BeEmpty("the second camera learned the object as background");
    }

    /// <summary>Learns the empty frame, then moves a 12x12 square across it for 4 frames; the last frame's detections.</summary>
    private static List<ObjectDetection> MoveSmallSquare(MotionDetector detector, Frame frame)
    {
        var detections = new List<ObjectDetection>();
        Learn(detector, frame, 20, detections);
        for (var step = 0; step < 4; step++)
        {
            SyntheticScene.Clear(frame);
            SyntheticScene.Fill(frame, 300 + (6 * step), 200, 12, 12, SyntheticScene.Car);
            detector.Detect(frame, detections);
        }

        return detections;
    }

    private static void Learn(IDetector detector, Frame frame, int frames, List<ObjectDetection> detections)
    {
        for (var i = 0; i < frames; i++)
        {
            detector.Detect(frame, detections);
        }
    }

    private static void AddNoise(Frame frame, Random random, int amplitude)
    {
        var pixels = frame.Pixels;
        for (var i = 0; i < pixels.Length; i++)
        {
            pixels[i] = (byte)Math.Clamp(pixels[i] + random.Next(-amplitude, amplitude + 1), 0, 255);
        }
    }

    private static float Intersection(BoundingBox a, BoundingBox b) =>
        Math.Max(0, Math.Min(a.Right, b.Right) - Math.Max(a.X, b.X)) * Math.Max(0, Math.Min(a.Bottom, b.Bottom) - Math.Max(a.Y, b.Y));
}
