using HgCounter.Configuration;
using HgCounter.Counting;
using HgCounter.Runtime.Evaluation;
using HgCounter.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Xunit.Abstractions;

namespace HgCounter.Runtime.Tests.Evaluation;

/// <summary>
/// Generated scenes rendered to real H.264 files with their exported MOTChallenge ground truth, evaluated by the real
/// pipeline from <c>AddHgCounter()</c>: the truth the evaluator derives is the scene's hand count, and the report shows
/// where the count agrees and where it does not, frame by frame.
/// </summary>
public sealed class AccuracyEvaluatorTests(ITestOutputHelper output) : IDisposable
{
    private static readonly string SyntheticModel = Path.Combine(TestPaths.RepositoryRoot, "models", "synthetic-yolov8.onnx");
    private readonly string _directory = TestPaths.NewTempDirectory("hgcounter-evaluate");

    [Theory]
    [InlineData("cross-both-ways", "door", 1, 1)]
    [InlineData("side-by-side", "door", 2, 0)]
    [InlineData("stop-on-line", "door", 1, 0)]
    [InlineData("one-side-only", "left", 1, 1)]
    [InlineData("outside-segment", "upper", 0, 0)]
    [InlineData("outside-segment", "door", 1, 0)]
    [InlineData("cross-and-return", "door", 1, 1)]
    [InlineData("detection-gap", "door", 1, 0)]
    [InlineData("car-crossing", "door", 1, 1)]
    [InlineData("demo", "door", 5, 5)]
    public async Task EvaluateAsync_SceneWithItsGroundTruth_TruthIsTheHandCountAndTheOnnxPathHasNoError(string scene, string line, long truthIn, long truthOut)
    {
        var (video, gt) = SceneRecording.Write(scene, _directory);

        var report = await EvaluateAsync(scene, video, gt, "onnx");

        var result = report.Lines.Single(l => l.Line == line);
        output.WriteLine(Describe(report));
        result.Truth.Should().Be(new DirectionCount(truthIn, truthOut), "the truth comes from the scene's own paths");
        result.Counted.Should().Be(result.Truth, "the ONNX path counts the generated scenes exactly");
        result.Error.Should().Be(new DirectionCount(0, 0));
        result.Missed.Should().BeEmpty();
        result.Extra.Should().BeEmpty();
        result.Matched.Should().HaveCount((int)(truthIn + truthOut));
        result.Matched.Where(m => Math.Abs(m.TruthFrame - m.CountedFrame) > report.FrameTolerance).Should().BeEmpty();
    }

    // The motion path at the scene's rate (every frame): its totals are exact on every scene today, and every crossing
    // is counted within a second of the truth except on stop-on-line, where MOG2 learns the standing person into the
    // background and the shrinking blob's anchor passes the line 24 frames before the person walks on (counted right,
    // but not in time: one missed and one extra in the report). docs/accuracy.md shows these reports.
    [Theory]
    [InlineData("cross-both-ways", true)]
    [InlineData("side-by-side", true)]
    [InlineData("car-crossing", true)]
    [InlineData("detection-gap", true)]
    [InlineData("stop-on-line", false)]
    [InlineData("one-side-only", true)]
    [InlineData("outside-segment", true)]
    [InlineData("cross-and-return", true)]
    [InlineData("demo", true)]
    public async Task EvaluateAsync_MotionPath_TotalsExactAndCrossingsInTimeWhereTheyAreToday(string scene, bool inTime)
    {
        var (video, gt) = SceneRecording.Write(scene, _directory);

        var report = await EvaluateAsync(scene, video, gt, "motion");

        output.WriteLine(Describe(report));
        report.FramesProcessed.Should().Be(SceneRecording.FrameCount(scene), "a recording is played once, every frame");
        report.Lines.Should().OnlyContain(l => l.Error == new DirectionCount(0, 0));
        foreach (var line in report.Lines)
        {
            (line.Matched.Count + line.Missed.Count).Should().Be((int)(line.Truth.In + line.Truth.Out), "every true crossing is matched or missed");
            (line.Matched.Count + line.Extra.Count).Should().Be((int)(line.Counted.In + line.Counted.Out), "every counted crossing is matched or extra");
        }

        if (inTime)
        {
            report.Lines.Should().OnlyContain(l => l.Missed.Count == 0 && l.Extra.Count == 0);
        }
        else
        {
            var door = report.Lines.Single();
            door.Missed.Should().ContainSingle().Which.Frame.Should().BeGreaterThan(door.Extra.Single().Frame + report.FrameTolerance, "counted before the person walked on");
        }
    }

    [Fact]
    public async Task EvaluateAsync_GroundTruthMissingOneTrajectory_ShowsItsCrossingAsExtraWithItsFrame()
    {
        // cross-both-ways: object 0 walks in across the door, object 1 walks back out. Leave the second out of the labels.
        var (video, full) = SceneRecording.Write("cross-both-ways", _directory);
        var (_, partial) = SceneRecording.Write("cross-both-ways", _directory, omitObject: 1);
        var complete = await EvaluateAsync("cross-both-ways", video, full, "onnx");
        var outFrame = complete.Lines.Single().Matched.Single(m => m.Direction == CrossingDirection.Out).CountedFrame;

        var report = await EvaluateAsync("cross-both-ways", video, partial, "onnx");

        output.WriteLine(Describe(report));
        var door = report.Lines.Single();
        door.Truth.Should().Be(new DirectionCount(1, 0));
        door.Counted.Should().Be(new DirectionCount(1, 1));
        door.Error.Should().Be(new DirectionCount(0, 1));
        door.Extra.Should().ContainSingle().Which.Should().Match<EvaluatedCrossing>(e => e.Direction == CrossingDirection.Out && e.Frame == outFrame);
        door.Missed.Should().BeEmpty();
        // The person walking back crosses the door (x 320) near scene frame 110, MOT frame 111.
        outFrame.Should().BeInRange(105, 120);
    }

    [Fact]
    public async Task EvaluateAsync_UnknownLineOrCameraMissingVideoOrNotARecording_FailsNamingWhatIsWrong()
    {
        var (video, gt) = SceneRecording.Write("cross-both-ways", _directory);
        var truth = MotGroundTruth.Load(gt);

        var unknownLine = () => EvaluateAsync("cross-both-ways", video, gt, "motion", o => o.Lines.Add("window"));
        var unknownCamera = () => EvaluateAsync("cross-both-ways", video, gt, "motion", o => o.Camera = "garage");
        var missingVideo = () => EvaluateAsync("cross-both-ways", Path.Combine(_directory, "nowhere.mp4"), gt, "motion");
        var notARecording = () => EvaluateAsync("cross-both-ways", "synthetic:cross-both-ways", gt, "motion");

        (await unknownLine.Should().ThrowAsync<KeyNotFoundException>()).WithMessage("*no line named 'window'*HgCounter:Cameras:0:Lines*'door'*");
        (await unknownCamera.Should().ThrowAsync<KeyNotFoundException>()).WithMessage("*No camera named 'garage'*'cam1'*");
        (await missingVideo.Should().ThrowAsync<Microsoft.Extensions.Options.OptionsValidationException>()).WithMessage("HgCounter:Cameras:0:Url*nowhere.mp4*does not exist*");
        (await notARecording.Should().ThrowAsync<ArgumentException>()).WithMessage("HgCounter:Cameras:0:Url is 'synthetic:cross-both-ways': evaluation plays a recorded video file*");
        truth.Boxes.Should().NotBeEmpty();
    }

    [Theory]
    [InlineData("1,1,10,20,30,60,1,1,1\n2,1,10,20,30,60,1,1,1\n3,1,ten,20,30,60,1,1,1\n", 3, "left 'ten'")]
    [InlineData("1,1,10,20,30,60,1,1,1\n\n1,2,10,20\n", 3, "4 fields")]
    [InlineData("0,1,10,20,30,60,1,1,1\n", 1, "frame 0")]
    [InlineData("1,1,10,20,30,60,1,1,1\n1,1,12,20,30,60,1,1,1\n", 2, "object 1 appears twice on frame 1")]
    public void Load_MalformedLine_NamesTheFileAndLineNumber(string text, int lineNumber, string problem)
    {
        var path = Path.Combine(_directory, "gt.txt");
        File.WriteAllText(path, text);

        var load = () => MotGroundTruth.Load(path);

        load.Should().Throw<GroundTruthFormatException>()
            .Where(e => e.LineNumber == lineNumber)
            .WithMessage($"{path}, line {lineNumber}: *{problem}*");
    }

    [Fact]
    public void Load_RowsWithConfidenceZero_AreIgnoredAsMotChallengeDoes()
    {
        var path = Path.Combine(_directory, "gt.txt");
        File.WriteAllText(path, "1,1,10,20,30,60,1,1,1\n1,2,100,20,30,60,0,1,1\n2,1,12,20,30,60,1,1,0.5\n");

        var truth = MotGroundTruth.Load(path);

        truth.Boxes.Select(b => (b.Frame, b.Id)).Should().Equal((1, 1), (2, 1));
    }

    private async Task<AccuracyReport> EvaluateAsync(string scene, string video, string gt, string detector, Action<AccuracyEvaluationOptions>? configure = null)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Services.AddHgCounter(o =>
        {
            o.DataDirectory = _directory;
            o.Events.OutboxPath = Path.Combine(_directory, "outbox.db");
            o.HealthChecks.DnsHost = null;
            o.Detectors.Onnx.ModelPath = SyntheticModel;
            var camera = new CameraOptions { Name = "cam1", Url = video, Detector = detector };
            foreach (var line in SceneRecording.Lines(scene))
            {
                camera.Lines.Add(line);
            }

            o.Cameras.Add(camera);
        });
        using var host = builder.Build();
        var evaluation = new AccuracyEvaluationOptions();
        configure?.Invoke(evaluation);
        return await host.Services.GetRequiredService<AccuracyEvaluator>().EvaluateAsync(MotGroundTruth.Load(gt), evaluation, TestContext.Timeout(180));
    }

    private static string Describe(AccuracyReport report) => string.Join("; ", report.Lines.Select(l =>
        $"{l.Line}: truth {l.Truth.In}/{l.Truth.Out} counted {l.Counted.In}/{l.Counted.Out} matched [{string.Join(", ", l.Matched.Select(m => $"{m.Direction} {m.TruthFrame}~{m.CountedFrame}"))}] missed [{string.Join(", ", l.Missed.Select(m => $"{m.Direction} {m.Frame}"))}] extra [{string.Join(", ", l.Extra.Select(m => $"{m.Direction} {m.Frame}"))}]"));

    public void Dispose() => Directory.Delete(_directory, recursive: true);
}
