using System.Text.Json;
using HgCounter.Testing;

namespace HgCounter.Samples.Tests;

/// <summary><c>evaluate</c> as a user runs it: the console sample as a real process over a recording and its gt.txt.</summary>
public class ConsoleEvaluateTests(Xunit.Abstractions.ITestOutputHelper output)
{
    [Fact]
    public async Task Evaluate_RecordingWithGroundTruth_PrintsTheTableAndWritesTheDocumentedJson()
    {
        var work = TestPaths.NewTempDirectory();
        var (video, gt) = SceneRecording.Write("cross-both-ways", work);
        var config = SampleConfig.Write(work, "cfg.json", new { Cameras = new[] { RecordingCamera("cam1", video, "cross-both-ways") } });
        var report = Path.Combine(work, "report.json");

        await using var tool = SampleProcess.Start("HgCounter.ConsoleSample", work, "evaluate", "--config", config, "--gt", gt, "--output", report);
        (await tool.WaitForExitAsync(TimeSpan.FromSeconds(180))).Should().Be(0, tool.Output);
        output.WriteLine(tool.Output);

        tool.Output.Should().MatchRegex(@"door\s+in\s+1\s+1\s+0").And.MatchRegex(@"door\s+out\s+1\s+1\s+0");
        using var json = JsonDocument.Parse(await File.ReadAllTextAsync(report));
        var door = json.RootElement.GetProperty("lines").EnumerateArray().Single();
        door.GetProperty("camera").GetString().Should().Be("cam1");
        door.GetProperty("line").GetString().Should().Be("door");
        door.GetProperty("truth").GetProperty("in").GetInt64().Should().Be(1);
        door.GetProperty("truth").GetProperty("out").GetInt64().Should().Be(1);
        door.GetProperty("counted").GetProperty("in").GetInt64().Should().Be(1);
        door.GetProperty("counted").GetProperty("out").GetInt64().Should().Be(1);
        door.GetProperty("matched").GetArrayLength().Should().Be(2);
        door.GetProperty("matched")[0].GetProperty("direction").GetString().Should().Be("in");
        door.GetProperty("matched")[0].GetProperty("truthFrame").GetInt64().Should().BePositive();
        door.GetProperty("missed").GetArrayLength().Should().Be(0);
        door.GetProperty("extra").GetArrayLength().Should().Be(0);
    }

    [Fact]
    public async Task Evaluate_AtThreeFramesPerSecond_CountsFewerFramesAndReportsRecordingFrameNumbers()
    {
        var work = TestPaths.NewTempDirectory();
        var (video, gt) = SceneRecording.Write("cross-both-ways", work);
        var config = SampleConfig.Write(work, "cfg.json", new { Cameras = new[] { RecordingCamera("cam1", video, "cross-both-ways") } });
        var report = Path.Combine(work, "report.json");

        await using var tool = SampleProcess.Start("HgCounter.ConsoleSample", work, "evaluate", "--config", config, "--gt", gt, "--fps", "3", "--output", report);
        (await tool.WaitForExitAsync(TimeSpan.FromSeconds(180))).Should().Be(0, tool.Output);
        output.WriteLine(tool.Output);

        // 150 frames at 10 fps taken at 3 fps: 45 frames counted; the crossings still carry the recording's frame numbers.
        tool.Output.Should().Contain("45 frames at 3 fps (recorded at 10 fps)");
        using var json = JsonDocument.Parse(await File.ReadAllTextAsync(report));
        json.RootElement.GetProperty("framesProcessed").GetInt64().Should().Be(45);
        json.RootElement.GetProperty("countedFramesPerSecond").GetDouble().Should().Be(3);
        var matched = json.RootElement.GetProperty("lines")[0].GetProperty("matched");
        matched.GetArrayLength().Should().Be(2);
        matched.EnumerateArray().Should().OnlyContain(m => Math.Abs(m.GetProperty("countedFrame").GetInt64() - m.GetProperty("truthFrame").GetInt64()) <= 10);
        matched[1].GetProperty("countedFrame").GetInt64().Should().BeGreaterThan(100, "the Out is near recording frame 111 (the 34th counted frame): frame numbers are the recording's");
    }

    [Fact]
    public async Task Evaluate_BadFrameRate_ExitsNonZeroNamingTheSwitch()
    {
        var work = TestPaths.NewTempDirectory();

        await using var tool = SampleProcess.Start("HgCounter.ConsoleSample", work, "evaluate", "--config", "cfg.json", "--gt", "gt.txt", "--fps", "fast");
        (await tool.WaitForExitAsync(TimeSpan.FromSeconds(60))).Should().Be(2, tool.Output);

        tool.Output.Should().Contain("--fps expects a positive frame rate such as 3 or 2.5, got 'fast'");
    }

    [Fact]
    public async Task Evaluate_GroundTruthWithABadLine_ExitsNonZeroNamingTheLineNumber()
    {
        var work = TestPaths.NewTempDirectory();
        var (video, gt) = SceneRecording.Write("cross-both-ways", work);
        var lines = await File.ReadAllLinesAsync(gt);
        lines[4] = "5,1,abc,20,30,60,1,1,1";
        await File.WriteAllLinesAsync(gt, lines);
        var config = SampleConfig.Write(work, "cfg.json", new { Cameras = new[] { RecordingCamera("cam1", video, "cross-both-ways") } });

        await using var tool = SampleProcess.Start("HgCounter.ConsoleSample", work, "evaluate", "--config", config, "--gt", gt);
        (await tool.WaitForExitAsync(TimeSpan.FromSeconds(120))).Should().Be(2, tool.Output);

        tool.Output.Should().Contain($"{gt}, line 5: left 'abc' is not a number");
    }

    [Fact]
    public async Task Evaluate_WithoutGroundTruth_ExitsNonZeroSayingWhatIsNeeded()
    {
        var work = TestPaths.NewTempDirectory();

        await using var tool = SampleProcess.Start("HgCounter.ConsoleSample", work, "evaluate", "--config", "cfg.json");
        (await tool.WaitForExitAsync(TimeSpan.FromSeconds(60))).Should().Be(2, tool.Output);

        tool.Output.Should().Contain("evaluate needs --config cfg.json and --gt gt.txt");
    }

    private static object RecordingCamera(string name, string video, string scene) => new
    {
        Name = name,
        Url = video,
        Detector = "motion",
        Lines = SceneRecording.Lines(scene).Select(l => new { l.Name, l.Start, l.End }),
    };
}
