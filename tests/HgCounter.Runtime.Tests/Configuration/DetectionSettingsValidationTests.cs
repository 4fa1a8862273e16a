using HgCounter.Configuration;
using HgCounter.Runtime.Tests.Agent;
using HgCounter.Testing;
using Microsoft.Extensions.Configuration;

namespace HgCounter.Runtime.Tests.Configuration;

/// <summary>Start-up checks of named models and of per-camera and per-line detection settings, on a real host.</summary>
public sealed class DetectionSettingsValidationTests
{
    private static string V8 => Path.Combine(TestPaths.RepositoryRoot, "models", "synthetic-yolov8.onnx");

    private static CameraOptions Camera(string name, string? model = null, string detector = "onnx")
    {
        var camera = AgentHost.SceneCamera(name, "cross-both-ways");
        camera.Detector = detector;
        camera.Model = model;
        return camera;
    }

    private static void PeopleModel(HgCounterOptions o) => o.Detectors.Onnx.Models["people"] = new OnnxModelOptions { ModelPath = V8 };

    [Fact]
    public void Bind_NamedModelsAndCameraOverrides_BindsEveryKey()
    {
        var json = """
            { "HgCounter": {
                "Cameras": [ { "Name": "gate", "Url": "synthetic:demo", "Detector": "onnx", "Model": "vehicles", "Classes": ["car"], "Confidence": 0.6,
                               "Lines": [ { "Name": "door", "Start": [320, 0], "End": [320, 360], "Classes": ["car"] } ] } ],
                "Detectors": { "Onnx": { "ModelPath": "models/default.onnx",
                                         "Models": { "vehicles": { "ModelPath": "models/vehicles.onnx", "Classes": ["car", "truck"], "Confidence": 0.5, "NmsThreshold": 0.6 } } } } } }
            """;
        var configuration = new ConfigurationBuilder().AddJsonStream(new MemoryStream(System.Text.Encoding.UTF8.GetBytes(json))).Build();

        var options = configuration.GetSection(HgCounterOptions.SectionName).Get<HgCounterOptions>()!; // the files do not exist: bind only

        var camera = options.Cameras.Should().ContainSingle().Subject;
        (camera.Model, camera.Confidence).Should().Be(("vehicles", 0.6f));
        camera.Classes.Should().Equal("car");
        camera.Lines.Single().Classes.Should().Equal("car");
        options.Detectors.Onnx.ModelPath.Should().Be("models/default.onnx");
        var model = options.Detectors.Onnx.Models["VEHICLES"]; // names are case-insensitive
        (model.ModelPath, model.Confidence, model.NmsThreshold).Should().Be(("models/vehicles.onnx", 0.5f, 0.6f));
        model.Classes.Should().Equal("car", "truck");
    }

    [Fact]
    public async Task Start_UnknownModelName_NamesTheCamerasModelKeyAndTheConfiguredModels()
    {
        var message = await StartupError.Of(o =>
        {
            PeopleModel(o);
            o.Cameras.Add(Camera("a", "people"));
            o.Cameras.Add(Camera("b", "people"));
            o.Cameras.Add(Camera("c", "vehicles"));
        });

        message.Should().Contain("HgCounter:Cameras:2:Model: unknown model 'vehicles'").And.Contain("HgCounter:Detectors:Onnx:Models: people");
        message.Should().NotContain("HgCounter:Cameras:0:Model").And.NotContain("HgCounter:Cameras:1:Model");
    }

    [Fact]
    public async Task Start_CameraClassNotInModel_NamesTheClassKeyAndListsTheModelsClasses()
    {
        var message = await StartupError.Of(o =>
        {
            PeopleModel(o);
            var camera = Camera("a", "people");
            camera.Classes.Add("person");
            camera.Classes.Add("bicycle");
            o.Cameras.Add(camera);
        });

        message.Should().Contain("HgCounter:Cameras:0:Classes:1: 'bicycle' is not a class of model 'synthetic-yolov8.onnx'; its classes are: person, car.");
        message.Should().NotContain("Classes:0");
    }

    [Fact]
    public async Task Start_NamedModelClassNotInItsFile_NamesTheModelsClassKey()
    {
        var message = await StartupError.Of(o =>
        {
            o.Detectors.Onnx.Models["people"] = new OnnxModelOptions { ModelPath = V8, Classes = { "pedestrian" } };
            o.Cameras.Add(Camera("a", "people"));
        });

        message.Should().Contain("HgCounter:Detectors:Onnx:Models:people:Classes:0: 'pedestrian' is not a class");
    }

    [Theory]
    [InlineData(0f)]
    [InlineData(1.5f)]
    [InlineData(-0.1f)]
    public async Task Start_CameraConfidenceOutsideZeroToOne_NamesTheCamerasConfidenceKey(float confidence)
    {
        var message = await StartupError.Of(o =>
        {
            PeopleModel(o);
            o.Cameras.Add(Camera("a", "people"));
            var camera = Camera("b", "people");
            camera.Confidence = confidence;
            o.Cameras.Add(camera);
        });

        message.Should().Contain("HgCounter:Cameras:1:Confidence").And.NotContain("HgCounter:Cameras:0:Confidence");
    }

    [Fact]
    public async Task Start_NamedModelConfidenceZero_NamesTheModelsConfidenceKey()
    {
        var message = await StartupError.Of(o =>
        {
            o.Detectors.Onnx.Models["people"] = new OnnxModelOptions { ModelPath = V8, Confidence = 0 };
            o.Cameras.Add(Camera("a", "people"));
        });

        message.Should().Contain("HgCounter:Detectors:Onnx:Models:people:Confidence");
    }

    [Fact]
    public async Task Start_NamedModelFileMissing_NamesItsModelPathKey()
    {
        var message = await StartupError.Of(o =>
        {
            o.Detectors.Onnx.Models["people"] = new OnnxModelOptions { ModelPath = "/definitely/not/there.onnx" };
            o.Cameras.Add(Camera("a", "people"));
        });

        message.Should().Contain("HgCounter:Detectors:Onnx:Models:people:ModelPath: model file '/definitely/not/there.onnx' does not exist");
        message.Should().NotContain("HgCounter:Detectors:Onnx:ModelPath", "no camera uses the detector's own model");
    }

    [Fact]
    public async Task Start_LineClassTheCameraDoesNotKeep_NamesTheLinesClassKey()
    {
        var message = await StartupError.Of(o =>
        {
            PeopleModel(o);
            var camera = Camera("a", "people");
            camera.Classes.Add("person");
            camera.Lines[0].Classes.Add("car");
            o.Cameras.Add(camera);
        });

        message.Should().Contain("HgCounter:Cameras:0:Lines:0:Classes:0: the line would never count 'car': the camera keeps only person.");
    }

    [Fact]
    public async Task Start_ModelOrClassesOnAMotionCamera_NamesEachKey()
    {
        var message = await StartupError.Of(o =>
        {
            PeopleModel(o);
            var camera = Camera("a", "people", detector: "motion");
            camera.Classes.Add("person");
            camera.Lines[0].Classes.Add("person");
            o.Cameras.Add(camera);
        });

        message.Should().Contain("HgCounter:Cameras:0:Model: only the onnx detector reads it, and this camera uses 'motion'.")
            .And.Contain("HgCounter:Cameras:0:Classes: only the onnx detector reads it")
            .And.Contain("HgCounter:Cameras:0:Lines:0:Classes:0: the line would never count 'person': the motion detector reports every object as object.");
    }

    [RealModelFact]
    public async Task Start_RealYoloCameraClasses_CocoLabelsPassAndAnUnknownOneListsThem()
    {
        void Configure(HgCounterOptions o, string label)
        {
            o.Detectors.Onnx.Models["coco"] = new OnnxModelOptions { ModelPath = RealModel.Path };
            var camera = Camera("street", "coco");
            camera.Classes.Add("person");
            camera.Classes.Add(label);
            camera.Lines[0].Classes.Add("bicycle");
            camera.Realtime = true; // the real model is slow; the test only needs the start
            o.Cameras.Add(camera);
        }

        var message = await StartupError.Of(o => Configure(o, "unicorn"));
        message.Should().Contain("HgCounter:Cameras:0:Classes:1: 'unicorn' is not a class of model 'yolov8n_int8.onnx'")
            .And.Contain("person, bicycle, car").And.Contain("toothbrush");
        message.Should().Contain("HgCounter:Cameras:0:Lines:0:Classes:0: the line would never count 'bicycle': the camera keeps only person, unicorn.");

        await using var host = await AgentHost.StartAsync(TestPaths.NewTempDirectory(), o => Configure(o, "bicycle"));
        var status = await host.WaitForAsync(s => s.Cameras.Any(c => c.FramesProcessed > 0) && s.Models.Count == 1, seconds: 120);
        status.Cameras.Single().Health.LastError.Should().BeNull("COCO's own labels are accepted");
        status.Models.Single().CameraNames.Should().Equal("street");
    }
}
