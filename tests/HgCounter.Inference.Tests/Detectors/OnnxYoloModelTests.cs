using HgCounter.Inference.Detectors;
using HgCounter.Testing;

namespace HgCounter.Inference.Tests.Detectors;

public sealed class OnnxYoloModelTests
{
    [Fact]
    public void Load_SyntheticV8Export_ReadsNamesAndRecognisesV8Layout()
    {
        using var model = OnnxYoloModel.Load(SyntheticScene.V8ModelPath);

        model.ClassNames.Should().Equal("person", "car");
        model.HasNamesMetadata.Should().BeTrue();
        model.Layout.Should().Be(YoloOutputLayout.V8);
        model.CandidateCount.Should().Be(6400);
        (model.InputWidth, model.InputHeight).Should().Be((640, 640));
        model.InputName.Should().Be("images");
        model.OutputName.Should().Be("output0");
    }

    [Fact]
    public void Load_SyntheticV5Export_RecognisesV5Layout()
    {
        using var model = OnnxYoloModel.Load(SyntheticScene.V5ModelPath);

        model.Layout.Should().Be(YoloOutputLayout.V5);
        model.ClassNames.Should().Equal("person", "car");
        model.CandidateCount.Should().Be(6400);
        model.OutputShape.Should().Equal(1, 6400, 7);
    }

    [Fact]
    public void Load_MissingFile_ThrowsModelLoadExceptionNamingPath()
    {
        var path = Path.Combine(TestPaths.NewTempDirectory(), "yolo11n.onnx");

        var act = () => OnnxYoloModel.Load(path);

        act.Should().Throw<ModelLoadException>()
            .Where(e => e.ModelPath == path && e.Message.Contains(path) && e.Message.Contains("not found") && e.Message.Contains("[1, 4+C, N]"));
    }

    [Fact]
    public void Load_ZeroByteFile_ThrowsModelLoadExceptionNamingPath()
    {
        var path = Path.Combine(TestPaths.NewTempDirectory(), "empty.onnx");
        File.WriteAllBytes(path, []);

        var act = () => OnnxYoloModel.Load(path);

        act.Should().Throw<ModelLoadException>()
            .Where(e => e.ModelPath == path && e.Message.Contains(path) && e.Message.Contains("empty"));
    }

    [Fact]
    public void Load_TextFile_ThrowsModelLoadExceptionNamingPath()
    {
        var path = Path.Combine(TestPaths.NewTempDirectory(), "model.onnx");
        File.WriteAllText(path, "this is not a model, just some text someone saved with the wrong name\n");

        var act = () => OnnxYoloModel.Load(path);

        act.Should().Throw<ModelLoadException>()
            .Where(e => e.ModelPath == path && e.Message.Contains(path) && e.Message.Contains("Not a loadable ONNX model"));
    }

    [Fact]
    public void Load_WrongOutputShape_ThrowsModelLoadExceptionNamingPathAndShape()
    {
        var path = SyntheticScene.WrongShapeModelPath;

        var act = () => OnnxYoloModel.Load(path);

        act.Should().Throw<ModelLoadException>()
            .Where(e => e.ModelPath == path && e.Message.Contains(path) && e.Message.Contains("[1, 3, 6400]")
                && e.Message.Contains("[1, N, 5+C]"));
    }

    [Fact]
    public void Load_SyntheticV8Export_TimesWarmUpRunsWithTheGivenClock()
    {
        // Each timestamp read moves the clock 40 ms on: every timed run takes exactly 40 ms.
        var clock = new SteppingTimeProvider(TimeSpan.FromMilliseconds(40));

        using var model = OnnxYoloModel.Load(SyntheticScene.V8ModelPath, intraOpThreads: 1, timeProvider: clock);

        var cost = model.InferenceCost;
        cost.MillisecondsPerInference.Should().BeApproximately(40, 1e-9);
        cost.Runs.Should().Be(3);
        cost.Provider.Should().Be(OnnxExecutionProvider.Cpu);
        cost.IntraOpThreads.Should().Be(1);
        cost.SustainableRate().Should().BeApproximately(25, 1e-9);
        cost.SustainableRate(concurrentRuns: 2).Should().BeApproximately(50, 1e-9);
        model.ExecutionProvider.Should().Be(OnnxExecutionProvider.Cpu);
    }

    [Fact]
    public void Load_SyntheticV8Export_MeasuresAPositiveCostOnTheSystemClock()
    {
        var before = DateTimeOffset.UtcNow;

        using var model = OnnxYoloModel.Load(SyntheticScene.V8ModelPath);

        model.InferenceCost.MillisecondsPerInference.Should().BePositive();
        double.IsFinite(model.InferenceCost.SustainableRate()).Should().BeTrue();
        model.InferenceCost.MeasuredAt.Should().BeOnOrAfter(before);
    }

    [RealModelFact]
    public void Load_RealYolov8nInt8_MeasuresAPositiveCost()
    {
        using var model = OnnxYoloModel.Load(RealModel.Path);

        model.ClassNames.Should().HaveCount(80).And.StartWith("person");
        var cost = model.InferenceCost;
        cost.MillisecondsPerInference.Should().BePositive();
        cost.SustainableRate().Should().BePositive();
        cost.Provider.Should().Be(OnnxExecutionProvider.Cpu);
    }
}
