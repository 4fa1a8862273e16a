using HgCounter.Configuration;
using HgCounter.Detection;
using HgCounter.Frames;
using HgCounter.Inference.Detectors;

namespace HgCounter.Inference.Tests.Detectors;

/// <summary>Named models of the onnx detector and per-camera classes and confidence, on real ONNX Runtime sessions.</summary>
public sealed class OnnxDetectorFactoryModelsTests
{
    private static OnnxDetectorOptions TwoModels()
    {
        var options = new OnnxDetectorOptions { ModelPath = SyntheticScene.V8ModelPath };
        options.Gating.Enabled = false; // every frame is detected whole, so each call shows what the camera keeps
        options.Models["people"] = new OnnxModelOptions { ModelPath = SyntheticScene.V8ModelPath };
        options.Models["v5"] = new OnnxModelOptions { ModelPath = SyntheticScene.V5ModelPath };
        return options;
    }

    private static CameraOptions Camera(string name, string? model, float? confidence = null, params string[] classes)
    {
        var camera = new CameraOptions { Name = name, Detector = "onnx", Model = model, Confidence = confidence };
        foreach (var c in classes)
        {
            camera.Classes.Add(c);
        }

        return camera;
    }

    private static Frame PersonAndCar()
    {
        var frame = SyntheticScene.Create(640, 360);
        SyntheticScene.Fill(frame, 100, 100, 32, 64, SyntheticScene.Person);
        SyntheticScene.Fill(frame, 300, 200, 64, 32, SyntheticScene.Car);
        return frame;
    }

    private static List<string> Labels(IDetector detector, Frame frame)
    {
        var detections = new List<ObjectDetection>();
        detector.Detect(frame, detections);
        return [.. detections.Select(d => d.Label).Order(StringComparer.Ordinal)];
    }

    [Fact]
    public void Create_TwoCamerasOnOneNamedModel_ShareOneSessionAndScheduler()
    {
        using var factory = new OnnxDetectorFactory(TwoModels());
        using var first = factory.Create(Camera("cam1", "people"));
        using var second = factory.Create(Camera("cam2", "PEOPLE"));
        using var frame = PersonAndCar();

        factory.ModelLoads.Should().Be(1, "the second camera uses the session the first one loaded");
        factory.GetScheduler("people").Should().BeSameAs(factory.GetScheduler("People"));
        factory.GetModel("people").Should().NotBeSameAs(factory.GetModel(), "the named model is a model of its own, even on the same file");
        Labels(first, frame).Should().Equal("car", "person");
        Labels(second, frame).Should().Equal("car", "person");
    }

    [Fact]
    public void Create_CamerasOnTwoModels_EachModelLoadedOnce()
    {
        using var factory = new OnnxDetectorFactory(TwoModels());
        using var frame = PersonAndCar();
        IDetector[] detectors =
        [
            factory.Create(Camera("a", "people")), factory.Create(Camera("b", "v5")),
            factory.Create(Camera("c", "people")), factory.Create(Camera("d", "v5")),
        ];
        try
        {
            factory.ModelLoads.Should().Be(2);
            factory.GetModel("v5").Layout.Should().Be(YoloOutputLayout.V5);
            factory.GetModel("people").Layout.Should().Be(YoloOutputLayout.V8);
            detectors.Select(d => Labels(d, frame)).Should().AllSatisfy(l => l.Should().Equal("car", "person"));
        }
        finally
        {
            foreach (var detector in detectors)
            {
                detector.Dispose();
            }
        }
    }

    [Fact]
    public void Create_CameraClassesOverride_FiltersThatCameraOnly()
    {
        using var factory = new OnnxDetectorFactory(TwoModels());
        using var carsOnly = factory.Create(Camera("cars", "people", null, "car"));
        using var everything = factory.Create(Camera("all", "people"));
        using var frame = PersonAndCar();

        Labels(carsOnly, frame).Should().Equal("car");
        Labels(everything, frame).Should().Equal("car", "person");
    }

    [Fact]
    public void Create_ModelClassesAndCameraOverride_CameraOverrideWinsAndWidensTheSharedRuns()
    {
        var options = TwoModels();
        options.Models["people"].Classes.Add("person");
        using var factory = new OnnxDetectorFactory(options);
        using var people = factory.Create(Camera("people-cam", "people"));
        using var cars = factory.Create(Camera("car-cam", "people", null, "car"));
        using var frame = PersonAndCar();

        Labels(people, frame).Should().Equal("person");
        Labels(cars, frame).Should().Equal(["car"], "the camera's classes replace the model's, though the model's runs were first set up for persons only");
    }

    [Fact]
    public void Create_CameraConfidenceAboveEveryScore_ThatCameraFindsNothingTheOtherStillDoes()
    {
        using var factory = new OnnxDetectorFactory(TwoModels());
        using var strict = factory.Create(Camera("strict", "people", 0.9999f));
        using var plain = factory.Create(Camera("plain", "people"));
        using var frame = PersonAndCar();

        Labels(strict, frame).Should().BeEmpty("the synthetic model scores a perfect fit about 0.9975");
        Labels(plain, frame).Should().Equal("car", "person");
    }

    [Fact]
    public void Create_CameraWithoutModel_UsesTheDetectorsOwnModelPath()
    {
        var options = new OnnxDetectorOptions { ModelPath = SyntheticScene.V5ModelPath };
        using var factory = new OnnxDetectorFactory(options);
        using var detector = factory.Create(Camera("cam1", null));

        factory.GetModel().Layout.Should().Be(YoloOutputLayout.V5);
        factory.ModelLoads.Should().Be(1);
    }

    [Fact]
    public void Create_UnknownModelName_ThrowsNamingTheModelsKey()
    {
        using var factory = new OnnxDetectorFactory(TwoModels());

        var act = () => factory.Create(Camera("cam1", "vehicles"));

        act.Should().Throw<ArgumentException>().WithMessage("*'vehicles'*HgCounter:Detectors:Onnx:Models*people, v5*");
    }

    [Fact]
    public void Create_CameraClassNotInModel_ThrowsModelLoadExceptionListingItsClasses()
    {
        using var factory = new OnnxDetectorFactory(TwoModels());

        var act = () => factory.Create(Camera("cam1", "people", null, "bicycle"));

        act.Should().Throw<ModelLoadException>().Where(e => e.Message.Contains("bicycle") && e.Message.Contains("person, car"));
    }

    [Fact]
    public void Create_NamedModelWithoutPath_ThrowsNamingItsKey()
    {
        var options = TwoModels();
        options.Models["empty"] = new OnnxModelOptions();
        using var factory = new OnnxDetectorFactory(options);

        var act = () => factory.Create(Camera("cam1", "empty"));

        act.Should().Throw<ModelLoadException>().WithMessage("*HgCounter:Detectors:Onnx:Models:empty:ModelPath*");
    }
}
