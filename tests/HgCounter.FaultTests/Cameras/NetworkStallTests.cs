using System.Diagnostics;
using HgCounter.FaultTests.Infrastructure;
using HgCounter.Health;
using HgCounter.Runtime.Tests.Agent;
using HgCounter.Testing;
using Xunit.Abstractions;

namespace HgCounter.FaultTests.Cameras;

public class NetworkStallTests(ITestOutputHelper output)
{
    [Fact]
    public async Task Run_LinkStopsForwardingWithoutClosing_DetectedAsStallWithinStallTimeoutAndRecovers()
    {
        var figures = new Figures(output, "network stall");
        await using var server = await RtspServerFixture.StartAsync("--width", "160", "--height", "120", "--fps", "10");
        await using var proxy = new StallingProxy(server.Port);
        var endpoint = $"127.0.0.1:{proxy.Port}";
        var marker = endpoint + "/"; // with the slash: port 4321 must not match another test's 43210
        await using (var host = await AgentHost.StartAsync(TestPaths.NewTempDirectory(), o =>
        {
            FaultOptions.Apply(o);
            o.Cameras.Add(FaultOptions.Camera("hung", $"rtsp://{endpoint}/stream"));
            o.Cameras.Add(FaultOptions.LoopingScene("steady"));
        }))
        {
            await host.WaitForAsync(s => AgentHost.Health(s, "hung") == CameraHealth.Healthy);

            var frozen = Stopwatch.StartNew();
            proxy.Freeze();
            var stalled = await host.WaitForAsync(s => AgentHost.Health(s, "hung") is CameraHealth.Degraded or CameraHealth.Offline or CameraHealth.Reconnecting, 30);
            var detection = frozen.Elapsed;
            var reason = stalled.Cameras.Single(c => c.Name == "hung").Health.LastError;

            await Task.Delay(FaultOptions.StallTimeout); // stay hung a while: reconnects into the hung link hang too
            AgentHost.Health(host.Agent.CurrentStatus, "steady").Should().Be(CameraHealth.Healthy, "a hung camera does not hold up the others");
            ProcessTable.ChildrenContaining(marker).Count.Should().BeLessThanOrEqualTo(1, "a hung ffmpeg is killed before another is started");

            proxy.Thaw();
            var thawed = Stopwatch.StartNew();
            await host.WaitForAsync(s => AgentHost.Health(s, "hung") == CameraHealth.Healthy, 60);
            figures.Record($"stall detected after {detection.TotalSeconds:0.00} s (StallTimeout {FaultOptions.StallTimeout.TotalSeconds} s, ReadTimeout {FaultOptions.ReadTimeout.TotalSeconds} s), reason '{reason}'; counting again {thawed.Elapsed.TotalSeconds:0.0} s after the link came back");

            detection.Should().BeLessThanOrEqualTo(FaultOptions.StallTimeout + FaultOptions.LoadSlack, "a link that goes silent is a stall within StallTimeout (plus room for a loaded machine)");
            reason.Should().NotBeNullOrEmpty();
        }

        (await ProcessTable.WaitForNoChildrenAsync(marker, TimeSpan.FromSeconds(10))).Should().BeEmpty("no ffmpeg outlives the agent");
    }
}
