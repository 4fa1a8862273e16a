using HgCounter.Testing;
using OpenCvSharp;

namespace HgCounter.Samples.Tests;

/// <summary>The console sample's <c>--snapshot</c> and <c>--snapshot-every</c>, run as a real process on a generated scene.</summary>
public class ConsoleSnapshotTests
{
    [Fact]
    public async Task Snapshot_ConfiguredCamera_WritesOverlaidJpegAndExitsZero()
    {
        var work = TestPaths.NewTempDirectory();
        var config = SampleConfig.Write(work, "cams.json", new { DataDirectory = Path.Combine(work, "data"), Cameras = new[] { SampleConfig.SceneCamera("lobby", "demo", realtime: true, loop: true) } });
        var path = Path.Combine(work, "shots", "lobby.jpg");

        await using var sample = SampleProcess.Start("HgCounter.ConsoleSample", work, "--config", config, "--snapshot", "lobby", path);

        (await sample.WaitForExitAsync(TimeSpan.FromSeconds(120))).Should().Be(0, sample.Output);
        sample.Output.Should().Contain("Snapshot of lobby (640x360").And.Contain(path);
        using var picture = Cv2.ImRead(path, ImreadModes.Color);
        picture.Empty().Should().BeFalse("the file is a JPEG");
        (picture.Width, picture.Height).Should().Be((640, 360));
        var pixel = picture.At<Vec3b>(100, 320);
        (pixel.Item0 > 180 && pixel.Item1 < 90 && pixel.Item2 > 180).Should().BeTrue($"the door line is drawn in magenta at x = 320; found {pixel}");
        File.Exists(path + ".part").Should().BeFalse();
    }

    [Fact]
    public async Task Snapshot_UnknownCamera_ExitsTwoNamingItAndTheConfiguredOnes()
    {
        var work = TestPaths.NewTempDirectory();
        var config = SampleConfig.Write(work, "cams.json", new { DataDirectory = Path.Combine(work, "data"), Cameras = new[] { SampleConfig.SceneCamera("lobby", "demo", realtime: true, loop: true) } });
        var path = Path.Combine(work, "garage.jpg");

        await using var sample = SampleProcess.Start("HgCounter.ConsoleSample", work, "--config", config, "--snapshot", "garage", path);

        (await sample.WaitForExitAsync(TimeSpan.FromSeconds(120))).Should().Be(2, sample.Output);
        sample.Output.Should().Contain("'garage'").And.Contain("Configured: lobby");
        File.Exists(path).Should().BeFalse();
    }

    [Fact]
    public async Task SnapshotEvery_LiveRun_WritesEachCameraFileAndReportsTheLastOne()
    {
        var work = TestPaths.NewTempDirectory();
        var config = SampleConfig.Write(work, "cams.json", new { DataDirectory = Path.Combine(work, "data"), Cameras = new[] { SampleConfig.SceneCamera("lobby", "demo", realtime: true, loop: true) } });
        var directory = Path.Combine(work, "shots");

        await using var sample = SampleProcess.Start("HgCounter.ConsoleSample", work, "--config", config, "--run-for", "00:00:12", "--snapshot-every", "00:00:02", "--snapshot-dir", directory);

        (await sample.WaitForExitAsync(TimeSpan.FromSeconds(90))).Should().Be(0, sample.Output);
        var path = Path.Combine(directory, "lobby.jpg");
        using var picture = Cv2.ImRead(path, ImreadModes.Color);
        (picture.Width, picture.Height).Should().Be((640, 360));
        sample.Output.Should().Contain("last snapshot: " + path);
    }
}
