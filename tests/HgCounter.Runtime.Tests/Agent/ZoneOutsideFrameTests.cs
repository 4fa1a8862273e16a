using HgCounter.Configuration;
using HgCounter.Health;
using HgCounter.Rtsp.Synthetic;
using HgCounter.Testing;

namespace HgCounter.Runtime.Tests.Agent;

public class ZoneOutsideFrameTests
{
    [Fact]
    public async Task Run_ZoneOutsideThePicture_ThatCameraFailsNamingTheZoneKeyOthersCount()
    {
        var bad = AgentHost.SceneCamera("bad", "side-by-side");
        bad.Zones.Add(new ZoneOptions { Name = "hall", Points = [[100, 100], [1900, 100], [1900, 1000], [100, 1000]] });
        await using var host = await AgentHost.StartAsync(TestPaths.NewTempDirectory(), o =>
        {
            o.Cameras.Add(bad);
            o.Cameras.Add(AgentHost.SceneCamera("good", "side-by-side"));
            o.Watchdog.InitialBackoff = TimeSpan.FromMilliseconds(200);
            o.Watchdog.MaxBackoff = TimeSpan.FromSeconds(1);
            o.Watchdog.OfflineAfterFailures = 2;
        });

        var status = await host.WaitForAsync(s =>
            AgentHost.Health(s, "good") == CameraHealth.Finished
            && s.Cameras.Single(c => c.Name == "bad").Health.LastError is not null);

        var badStatus = status.Cameras.Single(c => c.Name == "bad");
        badStatus.FramesProcessed.Should().Be(0, "a camera whose zone cannot hold anyone does not count at all");
        badStatus.Health.LastError.Should().Contain("HgCounter:Cameras:0:Zones:0:Points: zone 'hall' corner 1 [1900, 100] lies outside the 640x360 picture");
        var expected = SyntheticScenes.Get("side-by-side").ExpectedCount("door");
        var good = status.Cameras.Single(c => c.Name == "good").Lines.Single(l => l.Line == "door");
        (good.In, good.Out).Should().Be((expected.In, expected.Out));
    }
}
