using System.Text.Json;
using HgCounter.Configuration;
using HgCounter.Counting;
using HgCounter.Health;
using HgCounter.Rtsp.Synthetic;
using HgCounter.Testing;

namespace HgCounter.Runtime.Tests.Agent;

/// <summary>A line that does not fit the picture the camera delivers fails that camera, naming the key; the others count.</summary>
public class LineOutsideFrameTests
{
    private static async Task<(string Error, LineCount Good)> RunWithBadLineAsync(LineOptions badLine)
    {
        var data = TestPaths.NewTempDirectory();
        var bad = AgentHost.SceneCamera("bad", "side-by-side");
        bad.Lines.Add(badLine);
        await using var host = await AgentHost.StartAsync(data, o =>
        {
            o.Cameras.Add(bad);
            o.Cameras.Add(AgentHost.SceneCamera("good", "side-by-side"));
            o.Watchdog.InitialBackoff = TimeSpan.FromMilliseconds(200);
            o.Watchdog.MaxBackoff = TimeSpan.FromSeconds(1);
            o.Watchdog.OfflineAfterFailures = 2;
        });

        var status = await host.WaitForAsync(s =>
            AgentHost.Health(s, "good") == CameraHealth.Finished
            && AgentHost.Health(s, "bad") is CameraHealth.Offline or CameraHealth.Reconnecting
            && s.Cameras.Single(c => c.Name == "bad").Health.LastError is not null);

        var badStatus = status.Cameras.Single(c => c.Name == "bad");
        badStatus.FramesProcessed.Should().Be(0, "a camera whose line cannot be counted does not count at all");
        JsonSerializer.Serialize(status).Should().Contain("HgCounter:Cameras:0:Lines:");
        return (badStatus.Health.LastError!, status.Cameras.Single(c => c.Name == "good").Lines.Single(l => l.Line == "door"));
    }

    [Fact]
    public async Task Run_LineOutsideTheFrame_ThatCameraFailsNamingTheLineKeyOthersCount()
    {
        var lineIndex = AgentHost.SceneCamera("x", "side-by-side").Lines.Count;
        var scene = SyntheticScenes.Get("side-by-side");

        var (error, good) = await RunWithBadLineAsync(new LineOptions { Name = "exit", Start = [1800, 0], End = [1800, 1000] });

        error.Should().Contain($"HgCounter:Cameras:0:Lines:{lineIndex}: line 'exit'").And.Contain("outside the").And.Contain("picture");
        var expected = scene.ExpectedCount("door");
        (good.In, good.Out).Should().Be((expected.In, expected.Out));
        expected.In.Should().BePositive();
    }

    [Fact]
    public async Task Run_LineTwoPixelsLong_ThatCameraFailsNamingTheLineKey()
    {
        var lineIndex = AgentHost.SceneCamera("x", "side-by-side").Lines.Count;

        var (error, _) = await RunWithBadLineAsync(new LineOptions { Name = "dot", Start = [100, 100], End = [102, 100] });

        error.Should().Contain($"HgCounter:Cameras:0:Lines:{lineIndex}: line 'dot'").And.Contain("2 px long");
    }
}
