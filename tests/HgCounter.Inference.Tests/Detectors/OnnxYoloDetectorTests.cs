using HgCounter.Configuration;
using HgCounter.Detection;
using HgCounter.Frames;
using HgCounter.Inference.Detectors;

namespace HgCounter.Inference.Tests.Detectors;

public sealed class OnnxYoloDetectorTests : IClassFixture<OnnxYoloDetectorTests.Models>
{
    private readonly Models _models;

    public OnnxYoloDetectorTests(Models models) => _models = models;

    public static TheoryData<string, int, int> Resolutions => new()
    {
        { "v8", 640, 360 }, { "v8", 1280, 720 }, { "v8", 1920, 1080 },
        { "v5", 640, 360 }, { "v5", 1280, 720 }, { "v5", 1920, 1080 },
    };

    [Theory]
    [MemberData(nameof(Resolutions))]
    public void Detect_PersonAndCar_BoxesMatchDrawnRectanglesInSourcePixels(string layout, int width, int height)
    {
        var s = width / 640;
        using var frame = SyntheticScene.Create(width, height);
        var person = new BoundingBox(100 * s, 150 * s, 32 * s, 64 * s);
        var car = new BoundingBox(400 * s, 200 * s, 64 * s, 32 * s);
        Draw(frame, person, SyntheticScene.Person);
        Draw(frame, car, SyntheticScene.Car);
        using var detector = new OnnxYoloDetector(_models.For(layout));
        var detections = new List<ObjectDetection>();

        detector.Detect(frame, detections);

        detections.Should().HaveCount(2);
        var p = detections.Single(d => d.Label == "person");
        var c = detections.Single(d => d.Label == "car");
        p.Box.IoU(person).Should().BeGreaterThanOrEqualTo(0.8f, "person box {0}", p.Box);
        c.Box.IoU(car).Should().BeGreaterThanOrEqualTo(0.8f, "car box {0}", c.Box);
        (p.ClassId, c.ClassId).Should().Be((0, 1));
        detections.Should().OnlyContain(d => d.Confidence > 0.4f && d.Confidence <= 1f);
    }

    [Fact]
    public void Detect_ClassFilterPerson_DropsCars()
    {
        using var frame = SyntheticScene.Create(640, 360);
        SyntheticScene.Fill(frame, 100, 150, 32, 64, SyntheticScene.Person);
        SyntheticScene.Fill(frame, 400, 200, 64, 32, SyntheticScene.Car);
        SyntheticScene.Fill(frame, 250, 60, 64, 32, SyntheticScene.Car);
        using var detector = new OnnxYoloDetector(_models.V8, ["person"]);
        var detections = new List<ObjectDetection>();

        detector.Detect(frame, detections);

        detections.Should().ContainSingle().Which.Label.Should().Be("person");
    }

    [Fact]
    public void Detect_SingleObject_NmsLeavesOneBox()
    {
        using var frame = SyntheticScene.Create(1280, 720);
        SyntheticScene.Fill(frame, 601, 333, 64, 128, SyntheticScene.Person);
        using var detector = new OnnxYoloDetector(_models.V8, confidence: 0.05f);
        using var withoutNms = new OnnxYoloDetector(_models.V8, confidence: 0.05f, nmsThreshold: 1f);
        var detections = new List<ObjectDetection>();
        var raw = new List<ObjectDetection>();

        detector.Detect(frame, detections);
        withoutNms.Detect(frame, raw);

        // Several 8x8 cells see the object with a non-zero score at this low threshold; NMS must merge them.
        raw.Count.Should().BeGreaterThan(1);
        detections.Should().ContainSingle().Which.Box.IoU(new BoundingBox(601, 333, 64, 128)).Should().BeGreaterThanOrEqualTo(0.8f);
    }

    [Fact]
    public void Detect_TwoPersonsEightPixelsApart_GivesTwoBoxes()
    {
        using var frame = SyntheticScene.Create(640, 360);
        var left = new BoundingBox(200, 120, 32, 64);
        var right = new BoundingBox(240, 120, 32, 64);
        Draw(frame, left, SyntheticScene.Person);
        Draw(frame, right, SyntheticScene.Person);
        using var detector = new OnnxYoloDetector(_models.V8);
        var detections = new List<ObjectDetection>();

        detector.Detect(frame, detections);

        detections.Should().HaveCount(2).And.OnlyContain(d => d.Label == "person");
        detections.Should().ContainSingle(d => d.Box.IoU(left) >= 0.8f);
        detections.Should().ContainSingle(d => d.Box.IoU(right) >= 0.8f);
    }

    [Fact]
    public void Detect_EmptyScene_FindsNothing()
    {
        using var frame = SyntheticScene.Create(1280, 720);
        using var detector = new OnnxYoloDetector(_models.V8);
        var detections = new List<ObjectDetection> { default };

        detector.Detect(frame, detections);

        detections.Should().BeEmpty();
    }

    [Fact]
    public void PreferredFrameSize_TheModelInput()
    {
        using var detector = new OnnxYoloDetector(_models.V8);

        detector.PreferredFrameSize.Should().Be(new FrameSizeHint(_models.V8.InputWidth, _models.V8.InputHeight));
    }

    [Fact]
    public void Detect_SteadyState_AllocatesNothing()
    {
        var pool = new FramePool(2);
        using var detector = new OnnxYoloDetector(_models.V8);
        var detections = new List<ObjectDetection>(16);
        Frame Rent()
        {
            var frame = pool.Rent(1280, 720, "cam", 0, default);
            SyntheticScene.Clear(frame);
            SyntheticScene.Fill(frame, 200, 200, 64, 128, SyntheticScene.Person);
            return frame;
        }

        using (var warm = Rent())
        {
            detector.Detect(warm, detections);
        }

        using var frame = Rent();
        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 3; i++)
        {
            detector.Detect(frame, detections);
        }

        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        allocated.Should().Be(0);
        detections.Should().ContainSingle();
    }

    [Fact]
    public void Constructor_UnknownClass_ThrowsModelLoadExceptionListingClasses()
    {
        var act = () => new OnnxYoloDetector(_models.V8, ["bicycle"]);

        act.Should().Throw<ModelLoadException>()
            .Where(e => e.Message.Contains("bicycle") && e.Message.Contains("person, car") && e.Message.Contains(SyntheticScene.V8ModelPath));
    }

    [Fact]
    public async Task Factory_TwoCamerasInParallel_ShareOneModelAndEachGetTheirOwnObjects()
    {
        var options = new OnnxDetectorOptions { ModelPath = SyntheticScene.V8ModelPath };
        using var factory = new OnnxDetectorFactory(options);
        using var first = factory.Create("cam1");
        using var second = factory.Create("cam2");
        using var personFrame = SyntheticScene.Create(640, 360);
        using var carFrame = SyntheticScene.Create(640, 360);
        SyntheticScene.Fill(personFrame, 100, 100, 32, 64, SyntheticScene.Person);
        SyntheticScene.Fill(carFrame, 300, 200, 64, 32, SyntheticScene.Car);

        static List<string> Run(IDetector detector, Frame frame)
        {
            var labels = new List<string>();
            var detections = new List<ObjectDetection>();
            for (var i = 0; i < 20; i++)
            {
                detector.Detect(frame, detections);
                labels.AddRange(detections.Select(d => d.Label));
            }

            return labels;
        }

        var results = await Task.WhenAll(Task.Run(() => Run(first, personFrame)), Task.Run(() => Run(second, carFrame)));

        factory.Name.Should().Be("onnx");
        factory.GetModel().Should().BeSameAs(factory.GetModel());
        results[0].Should().HaveCount(20).And.OnlyContain(l => l == "person");
        results[1].Should().HaveCount(20).And.OnlyContain(l => l == "car");
    }

    [Fact]
    public void Factory_NoModelPath_ThrowsModelLoadExceptionNamingTheSetting()
    {
        using var factory = new OnnxDetectorFactory(new OnnxDetectorOptions());

        var act = () => factory.Create("cam1");

        act.Should().Throw<ModelLoadException>().WithMessage("*HgCounter:Detectors:Onnx:ModelPath*");
    }

    [Fact]
    public void Factory_Disposed_CreateThrowsObjectDisposed()
    {
        var factory = new OnnxDetectorFactory(new OnnxDetectorOptions { ModelPath = SyntheticScene.V8ModelPath });
        factory.Create("cam1").Dispose();

        factory.Dispose();

        factory.Invoking(f => f.Create("cam1")).Should().Throw<ObjectDisposedException>();
    }

    private static void Draw(Frame frame, BoundingBox box, (byte B, byte G, byte R) colour) =>
        SyntheticScene.Fill(frame, (int)box.X, (int)box.Y, (int)box.Width, (int)box.Height, colour);

    /// <summary>The synthetic models, loaded once for the class (as the factory shares one session).</summary>
    public sealed class Models : IDisposable
    {
        public OnnxYoloModel V8 { get; } = OnnxYoloModel.Load(SyntheticScene.V8ModelPath);

        public OnnxYoloModel V5 { get; } = OnnxYoloModel.Load(SyntheticScene.V5ModelPath);

        public OnnxYoloModel For(string layout) => layout == "v5" ? V5 : V8;

        public void Dispose()
        {
            V8.Dispose();
            V5.Dispose();
        }
    }
}
