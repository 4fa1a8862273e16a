using HgCounter.Configuration;
using HgCounter.Detection;
using HgCounter.Inference.Detectors;
using HgCounter.Runtime.Tests.Agent;
using HgCounter.Runtime.Tests.Events;
using HgCounter.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace HgCounter.Runtime.Tests.Capacity;

/// <summary>The real agent at start: what the model costs reaches the log, the status and the metrics.</summary>
public sealed class ModelCostAtStartTests
{
    private static CameraOptions Camera(string name, string detector, double targetFps)
    {
        var camera = AgentHost.SceneCamera(name, "demo");
        camera.Detector = detector;
        camera.Realtime = true;
        camera.Loop = true;
        camera.TargetFps = targetFps;
        return camera;
    }

    [Fact]
    public async Task Start_CamerasAskMoreThanTheModelSustains_WarnsAtStartAndStatusShowsIt()
    {
        var logs = new LogCapture();
        await using var host = await AgentHost.StartAsync(TestPaths.NewTempDirectory(), o =>
        {
            o.Cameras.Add(Camera("slow-a", "onnx", targetFps: 3));
            o.Cameras.Add(Camera("slow-b", "onnx", targetFps: 3));
            o.Detectors.Onnx.ModelPath = Path.Combine(TestPaths.RepositoryRoot, "models", "synthetic-yolov8.onnx");
            o.Detectors.Onnx.InferenceWorkers = 1;
        }, (builder, _) =>
        {
            builder.Logging.AddProvider(logs.Provider());
            // The built-in onnx detector, its warm-up runs timed on a clock that moves 250 ms per read: the model
            // "sustains" 4 inferences/s whatever this machine's speed, and two cameras at 3 fps ask for 6.
            builder.Services.RemoveAll<IDetectorFactory>();
            builder.Services.AddSingleton<IDetectorFactory>(sp => new OnnxDetectorFactory(
                sp.GetRequiredService<IOptions<HgCounterOptions>>().Value.Detectors.Onnx, new SteppingTimeProvider(TimeSpan.FromMilliseconds(250)), meterFactory: null));
        });

        var status = await host.WaitForAsync(s => s.Models.Count > 0);

        var figures = status.Models.Should().ContainSingle().Subject;
        (figures.Detector, figures.Model, figures.Provider, figures.Cameras).Should().Be(("onnx", "synthetic-yolov8.onnx", "cpu", 2));
        figures.MillisecondsPerInference.Should().Be(250);
        figures.SustainableInferencesPerSecond.Should().Be(4);
        figures.DemandFps.Should().Be(6);
        figures.Overloaded.Should().BeTrue();
        logs.Lines.Should().ContainSingle(l => l.StartsWith("Warning", StringComparison.Ordinal) && l.Contains("cannot keep up", StringComparison.Ordinal))
            .Which.Should().Contain("synthetic-yolov8.onnx").And.Contain("250.0 ms").And.Contain("4.0 inferences/s").And.Contain("6.0 fps");
    }

    [RealModelFact]
    public async Task Start_RealYoloModel_StatusAndMetricsShowItsMeasuredCost()
    {
        using var listener = new DetectorMetrics();
        await using var host = await AgentHost.StartAsync(TestPaths.NewTempDirectory(), o =>
        {
            o.Cameras.Add(Camera("real-yolo", "onnx", targetFps: 1));
            o.Detectors.Onnx.ModelPath = RealModel.Path;
            o.Detectors.Onnx.InferenceWorkers = 1;
        });

        // The demo scene moves from its first frame, so motion gating lets the model run.
        var status = await host.WaitForAsync(s => s.Models.Count > 0 && s.Cameras.Any(c => c.FramesProcessed > 0), seconds: 120);
        var measurements = listener.Collect();

        var figures = status.Models.Should().ContainSingle().Subject;
        (figures.Model, figures.Provider, figures.Cameras, figures.DemandFps).Should().Be(("yolov8n_int8.onnx", "cpu", 1, 1.0));
        figures.MillisecondsPerInference.Should().BePositive();
        figures.SustainableInferencesPerSecond.Should().BeApproximately(1000 / figures.MillisecondsPerInference, 1e-6);
        var costs = measurements.Where(m => m.Tag("model") == "yolov8n_int8.onnx").ToList();
        costs.Should().Contain(c => c.Instrument == "hgcounter.detector.inference_cost" && c.Value == figures.MillisecondsPerInference);
        costs.Should().Contain(c => c.Instrument == "hgcounter.detector.capacity" && c.Value > 0);
        measurements.Where(m => m.Instrument == "hgcounter.inference.duration" && m.Tag("model") == "yolov8n_int8.onnx")
            .Should().NotBeEmpty().And.OnlyContain(m => m.Value > 0, "every model run is timed");
    }
}
