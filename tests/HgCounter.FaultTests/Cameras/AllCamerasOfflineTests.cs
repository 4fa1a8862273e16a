using System.Diagnostics;
using HgCounter.FaultTests.Infrastructure;
using HgCounter.Health;
using HgCounter.Runtime.Health;
using HgCounter.Runtime.Tests.Agent;
using HgCounter.Testing;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Xunit.Abstractions;

namespace HgCounter.FaultTests.Cameras;

public class AllCamerasOfflineTests(ITestOutputHelper output)
{
    [Fact]
    public async Task Run_EveryCameraOfflineAtOnceThenBack_AgentStaysLiveReportsWhyAndAllRecover()
    {
        var figures = new Figures(output, "all cameras offline");
        await using var first = await RtspServerFixture.StartAsync("--width", "160", "--height", "120", "--fps", "10");
        await using var second = await RtspServerFixture.StartAsync("--width", "160", "--height", "120", "--fps", "10");
        await using (var host = await AgentHost.StartAsync(TestPaths.NewTempDirectory(), o =>
        {
            FaultOptions.Apply(o);
            o.Cameras.Add(FaultOptions.Camera("north", first.Url));
            o.Cameras.Add(FaultOptions.Camera("south", second.Url));
        }))
        {
            await host.WaitForAsync(s => s.Cameras.Count == 2 && s.Cameras.All(c => c.Health.Health == CameraHealth.Healthy));

            var down = Stopwatch.StartNew();
            await Task.WhenAll(first.StopAsync(), second.StopAsync());
            var offline = await host.WaitForAsync(
                s => s.Cameras.All(c => c.Health.Health is CameraHealth.Offline or CameraHealth.Reconnecting)
                    && s.Health?.Checks.Any(c => c.Name == "cameras" && c.Status == HealthStatus.Unhealthy) == true,
                60);
            var detected = down.Elapsed;

            offline.Health!.Overall.Should().Be(HealthStatus.Unhealthy, "no camera counts");
            var cameras = offline.Health.Checks.Single(c => c.Name == "cameras").Message;
            cameras.Should().Contain("north").And.Contain("south");
            offline.Cameras.Should().OnlyContain(c => !string.IsNullOrEmpty(c.Health.LastError), "each camera says why it is offline");
            (await new AgentLivenessCheck(host.Agent).CheckHealthAsync(new HealthCheckContext())).Status
                .Should().Be(HealthStatus.Healthy, "liveness stays true: restarting the process would not bring cameras back");
            host.Agent.Completion.IsCompleted.Should().BeFalse();

            await Task.WhenAll(first.RestartAsync(), second.RestartAsync());
            var back = Stopwatch.StartNew();
            var frames = offline.Cameras.ToDictionary(c => c.Name, c => c.FramesProcessed);
            var recovered = await host.WaitForAsync(s => s.Cameras.All(c => c.Health.Health == CameraHealth.Healthy && c.FramesProcessed > frames[c.Name]), 60);
            var recovery = back.Elapsed;
            await host.WaitForAsync(s => s.Health?.Checks.Single(c => c.Name == "cameras").Status == HealthStatus.Healthy, 30);

            figures.Record($"both cameras offline (health Unhealthy with reasons) after {detected.TotalSeconds:0.0} s; both counting again {recovery.TotalSeconds:0.0} s after the servers were ready");
            recovered.Cameras.Should().OnlyContain(c => c.Reconnects >= 1);
            recovery.Should().BeLessThan(FaultOptions.ReconnectBound + FaultOptions.LoadSlack, "cameras that return are reconnected by their next attempt, within the open timeout and the backoff cap (plus room for a loaded machine)");
        }

        foreach (var server in new[] { first, second })
        {
            (await ProcessTable.WaitForNoChildrenAsync($"127.0.0.1:{server.Port}/", TimeSpan.FromSeconds(10))).Should().BeEmpty("no ffmpeg outlives the agent");
        }
    }
}
