using System.Diagnostics;
using HgCounter.FaultTests.Infrastructure;
using HgCounter.Health;
using HgCounter.Runtime.Tests.Agent;
using HgCounter.Testing;
using Xunit.Abstractions;

namespace HgCounter.FaultTests.Cameras;

public class CameraChurnTests(ITestOutputHelper output)
{
    [Fact]
    public async Task Run_RtspServerKilledAndRestartedRepeatedly_EveryOutageDetectedEveryReturnReconnectedNoLeaks()
    {
        var figures = new Figures(output, "camera churn");
        var random = new Random(FaultSettings.Seed);
        var cycles = FaultSettings.ChurnCycles;
        await using var server = await RtspServerFixture.StartAsync("--width", "320", "--height", "240", "--fps", "10");
        var marker = $"127.0.0.1:{server.Port}/"; // with the slash: port 4321 must not match another test's 43210
        var self = Environment.ProcessId;
        var detections = new List<TimeSpan>();
        var reconnects = new List<TimeSpan>();
        int fdBaseline;
        int fdAfter;
        int ffmpegMax = 0;

        await using (var host = await AgentHost.StartAsync(TestPaths.NewTempDirectory(), o =>
        {
            FaultOptions.Apply(o);
            o.Cameras.Add(FaultOptions.Camera("churn", server.Url));
            o.Cameras.Add(FaultOptions.LoopingScene("steady"));
        }))
        {
            await host.WaitForAsync(s => Frames(s, "churn") > 10);
            fdBaseline = ProcessProbe.IoDescriptors(self);
            for (var cycle = 0; cycle < cycles; cycle++)
            {
                var killed = Stopwatch.StartNew();
                await server.StopAsync();
                await host.WaitForAsync(s => AgentHost.Health(s, "churn") is not CameraHealth.Healthy and not CameraHealth.Starting, 30);
                detections.Add(killed.Elapsed);

                await Task.Delay(TimeSpan.FromSeconds(0.5 + (random.NextDouble() * 3))); // the camera stays away a while
                await server.RestartAsync();
                var back = Stopwatch.StartNew();
                var framesAtReturn = Frames(host.Agent.CurrentStatus, "churn");
                await host.WaitForAsync(s => AgentHost.Health(s, "churn") == CameraHealth.Healthy && Frames(s, "churn") > framesAtReturn, 60);
                reconnects.Add(back.Elapsed);

                await Task.Delay(TimeSpan.FromSeconds(1 + (random.NextDouble() * 2))); // counting again for a while
                ffmpegMax = Math.Max(ffmpegMax, ProcessTable.ChildrenContaining(marker).Count);
            }

            var steady = host.Agent.CurrentStatus.Cameras.Single(c => c.Name == "steady");
            steady.Health.Health.Should().Be(CameraHealth.Healthy, "the other camera is not affected by the churn");
            steady.Reconnects.Should().Be(0);
            host.Agent.CurrentStatus.Cameras.Single(c => c.Name == "churn").Reconnects.Should().BeGreaterThanOrEqualTo(cycles);
            fdAfter = ProcessProbe.IoDescriptors(self);
        }

        figures.Record($"cycles={cycles} seed={FaultSettings.Seed}");
        figures.Durations("outage detected after", detections);
        figures.Durations("reconnected (first new frame) after server ready", reconnects);
        figures.Record($"pipe/socket descriptors before={fdBaseline} after={fdAfter}; max live ffmpeg for the camera={ffmpegMax}");

        detections.Should().OnlyContain(d => d <= FaultOptions.StallTimeout + FaultOptions.LoadSlack, "a camera that goes away is noticed within the stall timeout at the latest (plus room for a loaded machine)");
        reconnects.Should().OnlyContain(r => r <= FaultOptions.ReconnectBound + FaultOptions.LoadSlack, "a camera that returns is reconnected by the next attempt: the one under way ends within the open timeout, the next starts within the backoff cap (plus room for a loaded machine)");
        ffmpegMax.Should().BeLessThanOrEqualTo(1, "one ffmpeg per camera at most, never an orphan per reconnect");
        // Each restarted test server leaves its stderr pipe to the finalizer (a fixture artifact, one per cycle); the agent's
        // own ffmpeg runs must add nothing (FileDescriptorLeakTests checks that strictly).
        fdAfter.Should().BeLessThanOrEqualTo(fdBaseline + cycles + 4, $"{cycles} reconnects leak no pipes or sockets");
        (await ProcessTable.WaitForNoChildrenAsync(marker, TimeSpan.FromSeconds(10))).Should().BeEmpty("no ffmpeg outlives the agent");
    }

    private static long Frames(HgCounter.Status.StatusSnapshot status, string camera) =>
        status.Cameras.FirstOrDefault(c => c.Name == camera)?.FramesProcessed ?? 0;
}
