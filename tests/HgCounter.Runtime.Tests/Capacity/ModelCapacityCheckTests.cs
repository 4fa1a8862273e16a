using System.Diagnostics.Metrics;
using HgCounter.Configuration;
using HgCounter.Detection;
using HgCounter.Inference.Detectors;
using HgCounter.Reliability.Metrics;
using HgCounter.Runtime.Capacity;
using HgCounter.Runtime.Tests.Events;
using HgCounter.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace HgCounter.Runtime.Tests.Capacity;

public sealed class ModelCapacityCheckTests
{
    private static string SyntheticModelPath => Path.Combine(TestPaths.RepositoryRoot, "models", "synthetic-yolov8.onnx");

    // Each timestamp read moves this clock on by the step, so every timed warm-up run of the model "takes" exactly that.
    private static OnnxDetectorFactory Factory(double millisecondsPerInference, int inferenceWorkers = 1) =>
        new(new OnnxDetectorOptions { ModelPath = SyntheticModelPath, InferenceWorkers = inferenceWorkers },
            new SteppingTimeProvider(TimeSpan.FromMilliseconds(millisecondsPerInference)), meterFactory: null);

    private static HgCounterOptions Cameras(int count, double targetFps, string detector = "onnx")
    {
        var options = new HgCounterOptions();
        for (var i = 0; i < count; i++)
        {
            options.Cameras.Add(new CameraOptions { Name = $"cam{i}", Url = "synthetic:demo", Detector = detector, TargetFps = targetFps });
        }

        return options;
    }

    private static Dictionary<string, IDetectorFactory> Detectors(IDetectorFactory onnx) =>
        new(StringComparer.OrdinalIgnoreCase) { ["onnx"] = onnx, ["motion"] = new MotionDetectorFactory(new MotionDetectorOptions()) };

    [Fact]
    public void Run_ManyFastCamerasOnASlowModel_WarnsNamingModelCostRateDemandAndAdvice()
    {
        using var factory = Factory(100); // 10 inferences/s
        var logs = new LogCapture();
        var check = new ModelCapacityCheck(Detectors(factory), Cameras(8, targetFps: 30), logs.For<ModelCapacityCheck>());

        check.Run(CancellationToken.None);

        var warning = logs.Lines.Should().ContainSingle(l => l.StartsWith("Warning", StringComparison.Ordinal)).Subject;
        warning.Should().Contain("synthetic-yolov8.onnx").And.Contain("100.0 ms per inference").And.Contain("10.0 inferences/s")
            .And.Contain("8 camera(s) ask for up to 240.0 fps")
            .And.Contain("fewer cameras").And.Contain("lower TargetFps").And.Contain("faster export").And.Contain("GPU execution provider");
        var status = check.Models.Should().ContainSingle().Subject;
        status.Should().BeEquivalentTo(new
        {
            Detector = "onnx",
            Model = "synthetic-yolov8.onnx",
            Provider = "cpu",
            IntraOpThreads = 1,
            MillisecondsPerInference = 100.0,
            ConcurrentRuns = 1,
            SustainableInferencesPerSecond = 10.0,
            Cameras = 8,
            DemandFps = 240.0,
            Overloaded = true,
        });
    }

    [Fact]
    public void Run_DemandWithinWhatTheModelSustains_LogsTheCostWithoutWarning()
    {
        using var factory = Factory(10); // 100 inferences/s
        var logs = new LogCapture();
        var check = new ModelCapacityCheck(Detectors(factory), Cameras(2, targetFps: 10), logs.For<ModelCapacityCheck>());

        check.Run(CancellationToken.None);

        logs.Lines.Should().NotContain(l => l.StartsWith("Warning", StringComparison.Ordinal));
        logs.Lines.Should().ContainSingle(l => l.StartsWith("Information", StringComparison.Ordinal)).Which
            .Should().Contain("synthetic-yolov8.onnx").And.Contain("cpu").And.Contain("10.0 ms per inference").And.Contain("100.0 inferences/s")
            .And.Contain("2 camera(s) ask for up to 20.0 fps");
        check.Models.Should().ContainSingle().Which.Overloaded.Should().BeFalse();
    }

    [Fact]
    public void Run_TwoInferenceWorkers_DoublesWhatTheModelSustains()
    {
        using var factory = Factory(100, inferenceWorkers: 2);
        var logs = new LogCapture();
        var check = new ModelCapacityCheck(Detectors(factory), Cameras(1, targetFps: 15), logs.For<ModelCapacityCheck>());

        check.Run(CancellationToken.None);

        var status = check.Models.Should().ContainSingle().Subject;
        (status.ConcurrentRuns, status.SustainableInferencesPerSecond).Should().Be((2, 20.0));
        logs.Lines.Should().NotContain(l => l.StartsWith("Warning", StringComparison.Ordinal), "15 fps fits in 2 × 10 inferences/s");
    }

    [Fact]
    public void Run_TargetFpsAboveMaxFps_CountsTheRateTheCameraIsHeldTo()
    {
        using var factory = Factory(10);
        var options = Cameras(2, targetFps: 100);
        options.ResourceGuard.MaxFps = 25;
        var check = new ModelCapacityCheck(Detectors(factory), options, new LogCapture().For<ModelCapacityCheck>());

        check.Run(CancellationToken.None);

        check.Models.Should().ContainSingle().Which.DemandFps.Should().Be(50);
    }

    [Fact]
    public void Run_NoCameraUsesTheModel_LoadsNothing()
    {
        using var factory = Factory(10);
        var logs = new LogCapture();
        var check = new ModelCapacityCheck(Detectors(factory), Cameras(3, targetFps: 10, detector: "motion"), logs.For<ModelCapacityCheck>());

        check.Run(CancellationToken.None);

        check.Models.Should().BeEmpty();
        logs.Lines.Should().BeEmpty();
    }

    [Fact]
    public void Run_ModelCannotLoad_LeavesItToTheCameraLoopsWithoutThrowing()
    {
        using var factory = new OnnxDetectorFactory(new OnnxDetectorOptions { ModelPath = "/definitely/not/there.onnx" });
        var check = new ModelCapacityCheck(Detectors(factory), Cameras(1, targetFps: 10), new LogCapture().For<ModelCapacityCheck>());

        var act = () => check.Run(CancellationToken.None);

        act.Should().NotThrow();
        check.Models.Should().BeEmpty();
    }

    [Fact]
    public void Run_WithMetrics_GaugesReportCostCapacityAndDemandTaggedByModel()
    {
        using var factory = Factory(50);
        using var services = new ServiceCollection().AddMetrics().BuildServiceProvider();
        var metrics = new HgCounterMetrics(services.GetRequiredService<IMeterFactory>());
        using var listener = new DetectorMetrics();
        var check = new ModelCapacityCheck(Detectors(factory), Cameras(3, targetFps: 10), new LogCapture().For<ModelCapacityCheck>(), metrics);

        check.Run(CancellationToken.None);
        var seen = listener.Collect()
            .Where(m => m.Tag("model") == "synthetic-yolov8.onnx" && m.Tag("provider") == "cpu" && m.Tag("detector") == "onnx")
            .Select(m => (m.Instrument, m.Unit, m.Value))
            .ToList();

        seen.Should().Contain(("hgcounter.detector.inference_cost", "ms", 50.0));
        seen.Should().Contain(("hgcounter.detector.capacity", "{inference}/s", 20.0));
        seen.Should().Contain(("hgcounter.detector.demand", "{frame}/s", 30.0));
    }
}
