using HgCounter.Configuration;
using HgCounter.Counting;
using HgCounter.Detection;
using HgCounter.Health;
using HgCounter.Inference.Detectors;
using HgCounter.Rtsp.Synthetic;
using HgCounter.Status;
using HgCounter.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace HgCounter.Runtime.Tests.Agent;

/// <summary>Per-camera detection settings in a running agent: named models shared by cameras, camera and line classes.</summary>
public sealed class PerCameraDetectionTests
{
    private static string V8 => Path.Combine(TestPaths.RepositoryRoot, "models", "synthetic-yolov8.onnx");

    private static string V5 => Path.Combine(TestPaths.RepositoryRoot, "models", "synthetic-yolov5.onnx");

    private static CameraOptions OnnxCamera(string name, string scene, string? model, params string[] classes)
    {
        var camera = AgentHost.SceneCamera(name, scene);
        camera.Detector = "onnx";
        camera.Model = model;
        foreach (var c in classes)
        {
            camera.Classes.Add(c);
        }

        return camera;
    }

    private static Task<StatusSnapshot> AllFinishedAsync(AgentHost host, params string[] cameras) =>
        host.WaitForAsync(s => cameras.All(c => AgentHost.Health(s, c) == CameraHealth.Finished) && s.Models.Count > 0);

    private static LineCount Door(StatusSnapshot status, string camera, string line = "door") =>
        status.Cameras.Single(c => c.Name == camera).Lines.Single(l => l.Line == line);

    private static OnnxDetectorFactory Onnx(AgentHost host) => host.Services.GetServices<IDetectorFactory>().OfType<OnnxDetectorFactory>().Single();

    [Fact]
    public async Task Run_TwoCamerasOnOneNamedModel_OneSessionServesBothAndStatusListsThemUnderIt()
    {
        var expected = SyntheticScenes.Get("cross-both-ways").ExpectedCount("door");
        await using var host = await AgentHost.StartAsync(TestPaths.NewTempDirectory(), o =>
        {
            o.Detectors.Onnx.Models["people"] = new OnnxModelOptions { ModelPath = V8 };
            o.Cameras.Add(OnnxCamera("east", "cross-both-ways", "people"));
            o.Cameras.Add(OnnxCamera("west", "cross-both-ways", "people"));
        });

        var status = await AllFinishedAsync(host, "east", "west");

        var model = status.Models.Should().ContainSingle().Subject;
        (model.Name, model.Model, model.Cameras).Should().Be(("people", "synthetic-yolov8.onnx", 2));
        model.CameraNames.Should().Equal("east", "west");
        Onnx(host).ModelLoads.Should().Be(1, "both cameras and the start-up cost check use the one session");
        foreach (var camera in new[] { "east", "west" })
        {
            var door = Door(status, camera);
            (door.In, door.Out).Should().Be((expected.In, expected.Out), camera + " counts the scene on the shared model");
        }
    }

    [Fact]
    public async Task Run_CamerasOnTwoModels_EachLoadedOnceAndReportedOnceWithItsCameras()
    {
        var expected = SyntheticScenes.Get("cross-both-ways").ExpectedCount("door");
        await using var host = await AgentHost.StartAsync(TestPaths.NewTempDirectory(), o =>
        {
            o.Detectors.Onnx.Models["v8"] = new OnnxModelOptions { ModelPath = V8 };
            o.Detectors.Onnx.Models["v5"] = new OnnxModelOptions { ModelPath = V5 };
            o.Cameras.Add(OnnxCamera("a", "cross-both-ways", "v8"));
            o.Cameras.Add(OnnxCamera("b", "cross-both-ways", "v5"));
            o.Cameras.Add(OnnxCamera("c", "cross-both-ways", "V8"));
        });

        var status = await host.WaitForAsync(s => new[] { "a", "b", "c" }.All(c => AgentHost.Health(s, c) == CameraHealth.Finished) && s.Models.Count == 2);

        status.Models.Select(m => (m.Name, m.Model, string.Join(",", m.CameraNames))).Should().BeEquivalentTo(
            [("v8", "synthetic-yolov8.onnx", "a,c"), ("v5", "synthetic-yolov5.onnx", "b")]);
        Onnx(host).ModelLoads.Should().Be(2);
        foreach (var camera in new[] { "a", "b", "c" })
        {
            var door = Door(status, camera);
            (door.In, door.Out).Should().Be((expected.In, expected.Out), camera + " counts the scene");
        }
    }

    [Fact]
    public async Task Run_CameraClassesOverride_ThatCameraCountsOnlyItsClassTheOtherCountsBoth()
    {
        var truth = SyntheticScenes.Get("car-crossing").ExpectedCount("door");
        truth.ByClass.Keys.Should().BeEquivalentTo(["car", "person"], "the scene has a car and a person crossing");
        await using var host = await AgentHost.StartAsync(TestPaths.NewTempDirectory(), o =>
        {
            o.Detectors.Onnx.Models["traffic"] = new OnnxModelOptions { ModelPath = V8 };
            o.Cameras.Add(OnnxCamera("cars-only", "car-crossing", "traffic", "car"));
            o.Cameras.Add(OnnxCamera("everything", "car-crossing", "traffic"));
        });

        var status = await AllFinishedAsync(host, "cars-only", "everything");

        var cars = Door(status, "cars-only");
        cars.ByClass.Should().ContainSingle().Which.Should().Be(new KeyValuePair<string, DirectionCount>("car", truth.ByClass["car"]));
        (cars.In, cars.Out).Should().Be((truth.ByClass["car"].In, truth.ByClass["car"].Out));
        var all = Door(status, "everything");
        (all.In, all.Out).Should().Be((truth.In, truth.Out));
        all.ByClass.Should().BeEquivalentTo(truth.ByClass);
        Onnx(host).ModelLoads.Should().Be(1);
    }

    [Fact]
    public async Task Run_LinesWithClasses_EachLineCountsExactlyItsClassOfTheScene()
    {
        var scene = SyntheticScenes.Get("car-crossing");
        var truth = scene.ExpectedCount("door");
        await using var host = await AgentHost.StartAsync(TestPaths.NewTempDirectory(), o =>
        {
            o.Detectors.Onnx.ModelPath = V8;
            var camera = OnnxCamera("street", "car-crossing", null);
            foreach (var (name, label) in new[] { ("door-cars", "car"), ("door-people", "person") })
            {
                var line = SyntheticScenes.Door();
                line.Name = name;
                line.Classes.Add(label);
                camera.Lines.Add(line);
            }

            o.Cameras.Add(camera);
        });

        var status = await AllFinishedAsync(host, "street");

        var cars = Door(status, "street", "door-cars");
        (cars.In, cars.Out).Should().Be((truth.ByClass["car"].In, truth.ByClass["car"].Out));
        cars.ByClass.Keys.Should().Equal("car");
        var people = Door(status, "street", "door-people");
        (people.In, people.Out).Should().Be((truth.ByClass["person"].In, truth.ByClass["person"].Out));
        people.ByClass.Keys.Should().Equal("person");
        var door = Door(status, "street");
        (door.In, door.Out).Should().Be((truth.In, truth.Out), "the line without classes counts both");
    }

    [Fact]
    public async Task Run_SingleModelPathConfiguration_CountsAsBeforeAndIsReportedWithoutAName()
    {
        var expected = SyntheticScenes.Get("cross-both-ways").ExpectedCount("door");
        await using var host = await AgentHost.StartAsync(TestPaths.NewTempDirectory(), o =>
        {
            o.Detectors.Onnx.ModelPath = V8;
            o.Cameras.Add(OnnxCamera("lobby", "cross-both-ways", null));
        });

        var status = await AllFinishedAsync(host, "lobby");

        var door = Door(status, "lobby");
        (door.In, door.Out).Should().Be((expected.In, expected.Out));
        var model = status.Models.Should().ContainSingle().Subject;
        (model.Name, model.Model).Should().Be((null, "synthetic-yolov8.onnx"));
        model.CameraNames.Should().Equal("lobby");
    }

    [Fact]
    public async Task Run_NamedModelFileCorrupt_ItsCameraFailsWithTheReasonOthersKeepCounting()
    {
        var data = TestPaths.NewTempDirectory();
        var broken = Path.Combine(data, "broken.onnx");
        File.WriteAllBytes(broken, [.. Enumerable.Range(0, 4096).Select(i => (byte)(i * 31))]);
        var expected = SyntheticScenes.Get("cross-both-ways").ExpectedCount("door");
        await using var host = await AgentHost.StartAsync(data, o =>
        {
            o.Detectors.Onnx.Models["good"] = new OnnxModelOptions { ModelPath = V8 };
            o.Detectors.Onnx.Models["bad"] = new OnnxModelOptions { ModelPath = broken };
            o.Cameras.Add(OnnxCamera("bad-cam", "cross-both-ways", "bad"));
            o.Cameras.Add(OnnxCamera("good-cam", "cross-both-ways", "good"));
            o.Watchdog.InitialBackoff = TimeSpan.FromMilliseconds(200);
            o.Watchdog.MaxBackoff = TimeSpan.FromSeconds(1);
        });

        var status = await host.WaitForAsync(s =>
            AgentHost.Health(s, "good-cam") == CameraHealth.Finished && s.Cameras.Single(c => c.Name == "bad-cam").Health.LastError is not null);

        var door = Door(status, "good-cam");
        (door.In, door.Out).Should().Be((expected.In, expected.Out));
        var bad = status.Cameras.Single(c => c.Name == "bad-cam");
        bad.Health.LastError.Should().Contain("broken.onnx", "the reason names the model file");
        bad.FramesProcessed.Should().Be(0);
        status.Models.Should().ContainSingle().Which.Name.Should().Be("good", "a model that cannot load has no cost to report");
        host.Agent.LoopsAlive.Should().BeTrue("a bad model fails its cameras, not the agent");
    }
}
