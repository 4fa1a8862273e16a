using System.Text.Json;
using HgCounter.Rtsp.Synthetic;
using HgCounter.Testing;

namespace HgCounter.Samples.Tests;

public class ConsoleSampleTests
{
    [Fact]
    public async Task Run_RecordingConfig_ExitsWhenFinishedAndWritesSummaryWithGroundTruth()
    {
        var work = TestPaths.NewTempDirectory();
        var summary = Path.Combine(work, "summary.json");
        var config = SampleConfig.Write(work, "cams.json", new { DataDirectory = Path.Combine(work, "data"), Cameras = new[] { SampleConfig.SceneCamera("cam1", "side-by-side") } });

        await using var sample = SampleProcess.Start("HgCounter.ConsoleSample", work, "--config", config, "--summary", summary);
        (await sample.WaitForExitAsync(TimeSpan.FromSeconds(120))).Should().Be(0, sample.Output);

        var expected = SyntheticScenes.Get("side-by-side").ExpectedCount("door");
        using var json = JsonDocument.Parse(File.ReadAllText(summary));
        var camera = json.RootElement.GetProperty("cameras")[0];
        camera.GetProperty("name").GetString().Should().Be("cam1");
        camera.GetProperty("health").GetString().Should().Be("Finished");
        camera.GetProperty("framesProcessed").GetInt64().Should().Be(SyntheticScenes.Get("side-by-side").FrameCount);
        var door = camera.GetProperty("lines")[0];
        door.GetProperty("name").GetString().Should().Be("door");
        (door.GetProperty("in").GetInt64(), door.GetProperty("out").GetInt64()).Should().Be((expected.In, expected.Out));
        sample.Output.Should().Contain("Final counts:").And.Contain($"door: in {expected.In}, out {expected.Out}");
    }

    [Fact]
    public async Task Run_CommandLineOverride_InvalidUrl_ExitsNonZeroNamingTheKeyWithoutPassword()
    {
        var work = TestPaths.NewTempDirectory();
        var config = SampleConfig.Write(work, "cams.json", new { Cameras = new[] { SampleConfig.SceneCamera("cam1", "side-by-side") } });

        await using var sample = SampleProcess.Start("HgCounter.ConsoleSample", work, "--config", config, "--HgCounter:Cameras:0:Url=ftp://admin:Hunter22@10.0.0.9/live");

        (await sample.WaitForExitAsync(TimeSpan.FromSeconds(60))).Should().NotBe(0);
        sample.Output.Should().Contain("HgCounter:Cameras:0:Url").And.Contain("unsupported scheme 'ftp'").And.NotContain("Hunter22");
    }

    [Fact]
    public async Task Run_RunFor_StopsOnTimeAndPrintsPlainLinesWhenNotATerminal()
    {
        var work = TestPaths.NewTempDirectory();
        var config = SampleConfig.Write(work, "cams.json", new { DataDirectory = Path.Combine(work, "data"), Cameras = new[] { SampleConfig.SceneCamera("loop", "demo", realtime: true, loop: true) } });

        await using var sample = SampleProcess.Start("HgCounter.ConsoleSample", work, "--config", config, "--run-for", "00:00:08");

        (await sample.WaitForExitAsync(TimeSpan.FromSeconds(60))).Should().Be(0, sample.Output);
        sample.Lines.Should().Contain(l => l.Contains("camera=loop health=Healthy", StringComparison.Ordinal), "redirected output gets one plain line per camera");
        sample.Output.Should().Contain("Final counts:");
        File.Exists(Path.Combine(work, "data", "final-health-report.json")).Should().BeTrue();
    }

    [Fact]
    public async Task Run_ZoneScene_PlainLinesShowWhoIsInsideTheZone()
    {
        var work = TestPaths.NewTempDirectory();
        var config = SampleConfig.Write(work, "cams.json", new { DataDirectory = Path.Combine(work, "data"), Cameras = new[] { SampleConfig.SceneCamera("shop", "zone-visits", realtime: true, loop: true) } });

        // In real time the second visitor is inside the zone from 8 s to 24 s.
        await using var sample = SampleProcess.Start("HgCounter.ConsoleSample", work, "--config", config, "--run-for", "00:00:14");

        (await sample.WaitForExitAsync(TimeSpan.FromSeconds(60))).Should().Be(0, sample.Output);
        sample.Lines.Should().Contain(l => l.Contains("camera=shop", StringComparison.Ordinal) && l.Contains(" queue:inside=1", StringComparison.Ordinal), "someone is in the zone for most of the run");
    }

    [Fact]
    public async Task Run_FilePathFromCommandLine_BatchCountsTheRealClipToItsEnd()
    {
        const string clip = "/usr/share/doc/opencv-doc/examples/data/vtest.avi";
        var work = TestPaths.NewTempDirectory();
        var summary = Path.Combine(work, "summary.json");

        await using var sample = SampleProcess.Start(
            "HgCounter.ConsoleSample", work,
            "--HgCounter:DataDirectory=" + Path.Combine(work, "data"),
            "--HgCounter:Cameras:0:Name=plaza", "--HgCounter:Cameras:0:Url=" + clip, "--HgCounter:Cameras:0:Realtime=false",
            "--HgCounter:Cameras:0:Lines:0:Name=crossing",
            "--HgCounter:Cameras:0:Lines:0:Start:0=480", "--HgCounter:Cameras:0:Lines:0:Start:1=100",
            "--HgCounter:Cameras:0:Lines:0:End:0=480", "--HgCounter:Cameras:0:Lines:0:End:1=576",
            "--summary", summary);
        (await sample.WaitForExitAsync(TimeSpan.FromSeconds(240))).Should().Be(0, sample.Output);

        using var json = JsonDocument.Parse(File.ReadAllText(summary));
        var camera = json.RootElement.GetProperty("cameras")[0];
        camera.GetProperty("health").GetString().Should().Be("Finished", "a recording ends its camera; it is not reconnected and recounted");
        camera.GetProperty("framesProcessed").GetInt64().Should().Be(795, "batch mode processes every frame of the 795-frame clip");
        var line = camera.GetProperty("lines")[0];
        var total = line.GetProperty("in").GetInt64() + line.GetProperty("out").GetInt64();
        total.Should().BeInRange(12, 60, "the bounds of docs/accuracy.md for this line");
    }
}
