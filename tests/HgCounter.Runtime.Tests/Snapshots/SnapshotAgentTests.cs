using HgCounter.Configuration;
using HgCounter.Health;
using HgCounter.Runtime.Tests.Agent;
using HgCounter.Snapshots;
using HgCounter.Testing;
using OpenCvSharp;

namespace HgCounter.Runtime.Tests.Snapshots;

/// <summary>Snapshots from a running agent: a looping synthetic camera decoded by the real source, the real motion detector and tracker.</summary>
public class SnapshotAgentTests
{
    [Fact]
    public async Task GetSnapshotAsync_RunningCamera_JpegAtCameraResolutionWithLineOverlayAndCopiesOnlyWhenAsked()
    {
        await using var host = await StartAsync(LoopingCamera("lobby"));
        await host.WaitForAsync(s => s.Cameras.Any(c => c.Name == "lobby" && c.FramesProcessed > 20));
        host.Agent.SnapshotCopies("lobby").Should().Be(0, "nothing is copied while nobody asks");

        var snapshot = await host.Agent.GetSnapshotAsync("lobby", new SnapshotOptions(), TestContext.Timeout(30));
        var raw = await host.Agent.GetSnapshotAsync("lobby", new SnapshotOptions { Overlay = false }, TestContext.Timeout(30));

        using var picture = SnapshotRendererTests.Decode(snapshot);
        using var rawPicture = SnapshotRendererTests.Decode(raw);
        (picture.Width, picture.Height, snapshot.Width, snapshot.Height).Should().Be((640, 360, 640, 360));
        (rawPicture.Width, rawPicture.Height).Should().Be((640, 360));
        foreach (var y in new[] { 60, 130, 240 })
        {
            SnapshotRendererTests.IsLineColour(picture.At<Vec3b>(y, 320)).Should().BeTrue($"the door line runs through (320, {y})");
            SnapshotRendererTests.IsLineColour(rawPicture.At<Vec3b>(y, 320)).Should().BeFalse("raw mode draws nothing");
        }

        host.Agent.SnapshotCopies("lobby").Should().BeInRange(1, 2, "each request costs the loop at most one copy");
        host.Agent.CurrentStatus.Cameras.Single().Health.Health.Should().Be(CameraHealth.Healthy);
    }

    [Fact]
    public async Task GetSnapshotAsync_MaxWidth_JpegHasRequestedWidth()
    {
        await using var host = await StartAsync(LoopingCamera("lobby"));

        var snapshot = await host.Agent.GetSnapshotAsync("lobby", new SnapshotOptions { MaxWidth = 200, Timeout = TimeSpan.FromSeconds(30) }, TestContext.Timeout(60));

        using var picture = SnapshotRendererTests.Decode(snapshot);
        (picture.Width, picture.Height).Should().Be((200, 113));
    }

    [Fact]
    public async Task GetSnapshotAsync_UnknownCamera_ThrowsCameraNotFoundNamingIt()
    {
        await using var host = await StartAsync(LoopingCamera("lobby"));

        var act = () => host.Agent.GetSnapshotAsync("garage", new SnapshotOptions(), TestContext.Timeout(30));

        (await act.Should().ThrowAsync<CameraNotFoundException>()).Which.Message.Should().Contain("'garage'");
    }

    [Fact]
    public async Task GetSnapshotAsync_CameraWithoutFrame_ThrowsUnavailableWithinTimeoutWithoutCredentials()
    {
        var dead = new CameraOptions { Name = "dead", Url = $"rtsp://op:Secr3tPw@127.0.0.1:{FreePort.Next()}/x", OpenTimeout = TimeSpan.FromSeconds(5) };
        await using var host = await StartAsync(dead, LoopingCamera("lobby"));

        var act = () => host.Agent.GetSnapshotAsync("dead", new SnapshotOptions { Timeout = TimeSpan.FromSeconds(1) }, TestContext.Timeout(30));

        var error = (await act.Should().ThrowAsync<SnapshotUnavailableException>()).Which;
        error.Camera.Should().Be("dead");
        error.Message.Should().NotContain("Secr3tPw");
        var lobby = await host.Agent.GetSnapshotAsync("lobby", new SnapshotOptions { Timeout = TimeSpan.FromSeconds(30) }, TestContext.Timeout(60));
        lobby.Jpeg.Length.Should().BePositive("one camera without frames does not stop the others' snapshots");
    }

    private static Task<AgentHost> StartAsync(params CameraOptions[] cameras) =>
        AgentHost.StartAsync(TestPaths.NewTempDirectory(), o =>
        {
            foreach (var camera in cameras)
            {
                o.Cameras.Add(camera);
            }
        });

    private static CameraOptions LoopingCamera(string name)
    {
        var camera = AgentHost.SceneCamera(name, "demo");
        camera.Loop = true;
        camera.Realtime = true;
        return camera;
    }
}
