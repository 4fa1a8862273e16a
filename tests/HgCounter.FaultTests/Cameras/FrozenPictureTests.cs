using System.Diagnostics;
using HgCounter.FaultTests.Infrastructure;
using HgCounter.Health;
using HgCounter.Runtime.Tests.Agent;
using HgCounter.Testing;
using Xunit.Abstractions;

namespace HgCounter.FaultTests.Cameras;

public class FrozenPictureTests(ITestOutputHelper output)
{
    private static readonly TimeSpan FrozenTimeout = TimeSpan.FromSeconds(3);

    [Fact]
    public async Task Run_RtspCameraSendsOneStillPicture_OfflineAsFrozenWhileAMovingCameraStaysHealthy()
    {
        var figures = new Figures(output, "frozen picture");
        // A static test card: GStreamer encodes it and ffmpeg decodes it to the same bytes frame after frame, as a
        // camera whose encoder repeats one picture does. The control camera's ball moves.
        await using var still = await RtspServerFixture.StartAsync("--width", "160", "--height", "120", "--fps", "10", "--pattern", "checkers-8");
        await using var moving = await RtspServerFixture.StartAsync("--width", "160", "--height", "120", "--fps", "10");
        await using (var host = await AgentHost.StartAsync(TestPaths.NewTempDirectory(), o =>
        {
            FaultOptions.Apply(o);
            o.Watchdog.FrozenTimeout = FrozenTimeout;
            o.Cameras.Add(FaultOptions.Camera("still", still.Url));
            o.Cameras.Add(FaultOptions.Camera("moving", moving.Url));
        }))
        {
            var clock = Stopwatch.StartNew();
            var movingSeenFrozen = false;
            bool Frozen(HgCounter.Status.StatusSnapshot s, string name)
            {
                var frozen = Camera(s, name)?.Health.LastError?.Contains("frozen", StringComparison.Ordinal) == true;
                movingSeenFrozen |= name == "moving" && frozen;
                return frozen;
            }

            var frozen = await host.WaitForAsync(s => !Frozen(s, "moving") & Frozen(s, "still"), 60);
            var detectedAfter = clock.Elapsed;
            var camera = Camera(frozen, "still")!;
            camera.FramesProcessed.Should().BePositive("frames arrived: it is the picture that is frozen, not the stream");
            camera.Health.Health.Should().BeOneOf([CameraHealth.Offline, CameraHealth.Reconnecting], "a frozen camera is Offline and reconnected");

            // The moving camera has run at least as long as the frozen one needed to be caught.
            var control = Camera(await host.WaitForAsync(s => !Frozen(s, "moving") & Camera(s, "moving")?.FramesProcessed > 10 && clock.Elapsed > detectedAfter + FrozenTimeout, 30), "moving")!;
            figures.Record($"still picture: Offline \"{camera.Health.LastError}\" {detectedAfter.TotalSeconds:0.0} s after start (FrozenTimeout {FrozenTimeout.TotalSeconds:0} s); moving camera {control.Health.Health} after {control.FramesProcessed} frames");
            movingSeenFrozen.Should().BeFalse("a picture that changes is never taken for a frozen one (a loaded machine may still stall it)");
        }

        (await ProcessTable.WaitForNoChildrenAsync($"127.0.0.1:{still.Port}/", TimeSpan.FromSeconds(10))).Should().BeEmpty("no ffmpeg outlives the agent");
    }

    private static HgCounter.Status.CameraStatus? Camera(HgCounter.Status.StatusSnapshot status, string name) => status.Cameras.FirstOrDefault(c => c.Name == name);
}
