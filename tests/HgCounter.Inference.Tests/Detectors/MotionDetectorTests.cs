using HgCounter.Configuration;
using HgCounter.Detection;
using HgCounter.Frames;
using HgCounter.Inference.Counting;
using HgCounter.Inference.Detectors;
using HgCounter.Inference.Tracking;
using HgCounter.Rtsp.Synthetic;
using GeneratedScene = HgCounter.Rtsp.Synthetic.SyntheticScene;

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

        // Past the warm-up (10 frames) and the first detecting frames: steady state.
        for (var i = 0; i < 20; i++)
        {
            Step(i);
        }

        var before = GC.GetAllocatedBytesForCurrentThread();
        Step(20);
        Step(21);
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

    [Fact]
    public void Detect_PeopleInTheFirstFrame_NothingReportedWhileTheBackgroundLearns()
    {
        // already-there: people stand and walk in the picture from its first frame, before the model has seen the floor.
        var scene = SyntheticScenes.Get("already-there");
        var options = new MotionDetectorOptions();
        var warmed = Play(scene, options, scene.FrameCount, out var detector);
        using (detector)
        {
            warmed.Take(options.WarmupFrames).Should().OnlyContain(boxes => boxes.Count == 0, "nothing is reported while the model learns");
            detector.IsWarmingUp.Should().BeFalse();
            detector.Relearned.Should().Be(0);
            // The person walking towards the door from frame 0 is found once the warm-up is over.
            var walker = scene.BoxAt(1, 15)!.Value;
            warmed[15].Should().Contain(b => Intersection(b, walker) > 0.5f * walker.Area, "box {0} walks there", walker);
        }

        // Without a warm-up the first frames report what a one-frame model makes of them: fragments of the walker.
        Play(scene, new MotionDetectorOptions { WarmupFrames = 0 }, options.WarmupFrames, out var coldDetector)
            .Should().Contain(boxes => boxes.Count > 0, "the contrast: a model one frame old already reports blobs");
        coldDetector.Dispose();
    }

    [Fact]
    public void Detect_WholePictureChangesAtOnce_RelearnsInsteadOfOneFrameSizedBlob()
    {
        // The lights go on at frame 30 (every pixel 50 levels brighter) while a person walks across.
        var withRelearning = WalkThroughLightChange(new MotionDetectorOptions(), out var relearned, out var drawn);
        relearned.Should().Be(1);
        withRelearning.Should().OnlyContain(boxes => boxes.All(b => b.Width < 100), "no blob the size of the picture");
        withRelearning.Skip(30).Take(new MotionDetectorOptions().WarmupFrames).Should().OnlyContain(boxes => boxes.Count == 0, "the new picture is learnt first");
        withRelearning[^1].Should().ContainSingle().Which.IoU(drawn).Should().BeGreaterThan(0.5f, "the person is found again in the bright picture");

        var without = WalkThroughLightChange(new MotionDetectorOptions { RelearnAboveFraction = 1 }, out _, out _);
        without[30].Should().Contain(b => b.Width > 600, "the contrast: without relearning the whole picture is one blob");
    }

    [Fact]
    public void ResetTracks_PictureChangedWhileDisconnected_NoGhostOfWhatLeft()
    {
        // A car parked in view is part of the learnt background; it drives off while the camera is disconnected. After the
        // reconnect (the agent calls ResetTracks) the empty parking space must not become an object.
        var ghosts = new List<int>();
        foreach (var reconnect in new[] { true, false })
        {
            using var pipeline = new HgCounter.Counting.CountingPipeline(
                new MotionDetector(new MotionDetectorOptions()), new ByteTracker(), new LineCounter("cam1", [SyntheticScenes.Door()]));
            using var frame = SyntheticScene.Create(640, 360);
            var crossings = new List<LineCrossing>();
            SyntheticScene.Fill(frame, 60, 200, 200, 100, SyntheticScene.Car);
            for (var i = 0; i < 40; i++)
            {
                pipeline.Process(frame, crossings);
            }

            if (reconnect)
            {
                pipeline.ResetTracks();
            }

            SyntheticScene.Clear(frame);
            var reported = 0;
            for (var i = 0; i < 40; i++)
            {
                pipeline.Process(frame, crossings);
                reported += pipeline.LastDetections.Count;
            }

            ghosts.Add(reported);
        }

        ghosts[0].Should().Be(0, "the detector learnt the new picture after the reconnect");
        ghosts[1].Should().BeGreaterThan(0, "the contrast: a background kept across the reconnect sees the car's ghost");
    }

    private static List<List<BoundingBox>> Play(GeneratedScene scene, MotionDetectorOptions options, int frames, out MotionDetector detector)
    {
        detector = new MotionDetector(options);
        using var frame = Frame.CreateUnpooled(scene.Width, scene.Height, "cam1");
        var detections = new List<ObjectDetection>();
        var boxes = new List<List<BoundingBox>>();
        for (var i = 0; i < frames; i++)
        {
            scene.Render(i, frame);
            detector.Detect(frame, detections);
            boxes.Add([.. detections.Select(d => d.Box)]);
        }

        return boxes;
    }

    private static List<List<BoundingBox>> WalkThroughLightChange(MotionDetectorOptions options, out long relearned, out BoundingBox lastDrawn)
    {
        using var detector = new MotionDetector(options);
        using var frame = SyntheticScene.Create(640, 360);
        var detections = new List<ObjectDetection>();
        var boxes = new List<List<BoundingBox>>();
        lastDrawn = default;
        for (var i = 0; i < 60; i++)
        {
            SyntheticScene.Clear(frame);
            if (i >= 15)
            {
                lastDrawn = new BoundingBox(100 + (6 * (i - 15)), 150, 32, 64);
                SyntheticScene.Fill(frame, (int)lastDrawn.X, (int)lastDrawn.Y, 32, 64, SyntheticScene.Person);
            }

            if (i >= 30)
            {
                Brighten(frame, 50);
            }

            detector.Detect(frame, detections);
            boxes.Add([.. detections.Select(d => d.Box)]);
        }

        relearned = detector.Relearned;
        return boxes;
    }

    private static void Brighten(Frame frame, int levels)
    {
        var pixels = frame.Pixels;
        for (var i = 0; i < pixels.Length; i++)
        {
            pixels[i] = (byte)Math.Min(255, pixels[i] + levels);
        }
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
