using System.Diagnostics;
using System.Text.Json;
using HgCounter.FaultTests.Infrastructure;
using HgCounter.Health;
using HgCounter.Runtime.Tests.Agent;
using HgCounter.Testing;
using Xunit.Abstractions;

namespace HgCounter.FaultTests.Cameras;

public class FallbackUrlTests(ITestOutputHelper output)
{
    private const string User = "viewer";
    private const string MainPassword = "MainPw4711";
    private const string BackupPassword = "BackupPw0815";

    [Fact]
    public async Task Run_PrimaryServerStops_FallbackUrlTakesOverFramesKeepComingStatusNamesItRedacted()
    {
        var figures = new Figures(output, "fallback URL");
        await using var main = await RtspServerFixture.StartAsync("--width", "160", "--height", "120", "--fps", "10", "--user", User, "--password", MainPassword);
        await using var backup = await RtspServerFixture.StartAsync("--width", "160", "--height", "120", "--fps", "10", "--user", User, "--password", BackupPassword);
        await using (var host = await AgentHost.StartAsync(TestPaths.NewTempDirectory(), o =>
        {
            FaultOptions.Apply(o);
            var camera = FaultOptions.Camera("gate", main.UrlWithCredentials(User, MainPassword));
            camera.FallbackUrls.Add(backup.UrlWithCredentials(User, BackupPassword));
            o.Cameras.Add(camera);
        }))
        {
            var onMain = await host.WaitForAsync(s => Gate(s) is { FramesProcessed: > 0, Health.Health: CameraHealth.Healthy }, 60);
            Gate(onMain)!.Health.Source.Should().Be($"rtsp://***@127.0.0.1:{main.Port}/stream", "the status names the URL in use, without its credentials");

            await main.StopAsync();
            var down = Stopwatch.StartNew();
            var framesAtOutage = Gate(host.Agent.CurrentStatus)!.FramesProcessed;
            var onBackup = await host.WaitForAsync(
                s => Gate(s) is { Health.Health: CameraHealth.Healthy } gate && gate.FramesProcessed > framesAtOutage + 3 && gate.Health.Source!.Contains($":{backup.Port}/", StringComparison.Ordinal),
                60);
            var tookOver = down.Elapsed;

            var gate = Gate(onBackup)!;
            figures.Record($"primary stopped: counting again from the fallback URL {tookOver.TotalSeconds:0.0} s later");
            gate.Health.Source.Should().Be($"rtsp://***@127.0.0.1:{backup.Port}/stream", "the status names the fallback URL now in use, without its credentials");
            var json = JsonSerializer.Serialize(onBackup);
            json.Should().NotContain(MainPassword).And.NotContain(BackupPassword, "credentials never reach the status");
            tookOver.Should().BeLessThan(FaultOptions.ReconnectBound + FaultOptions.LoadSlack, "the next attempt goes to the fallback URL, within the open timeout and the backoff cap (plus room for a loaded machine)");
        }

        (await ProcessTable.WaitForNoChildrenAsync($"127.0.0.1:{backup.Port}/", TimeSpan.FromSeconds(10))).Should().BeEmpty("no ffmpeg outlives the agent");
    }

    [Fact]
    public async Task Run_PrimaryNeverThere_FallbackUrlCountsFromTheStart()
    {
        using var nothing = new RefusingPort();
        await using var backup = await RtspServerFixture.StartAsync("--width", "160", "--height", "120", "--fps", "10");
        await using var host = await AgentHost.StartAsync(TestPaths.NewTempDirectory(), o =>
        {
            FaultOptions.Apply(o);
            var camera = FaultOptions.Camera("gate", $"rtsp://{User}:{MainPassword}@127.0.0.1:{nothing.Port}/stream");
            camera.FallbackUrls.Add(backup.Url);
            o.Cameras.Add(camera);
        });

        var status = await host.WaitForAsync(s => Gate(s) is { Health.Health: CameraHealth.Healthy, FramesProcessed: > 10 }, 60);

        Gate(status)!.Health.Source.Should().Be(backup.Url, "the camera counts from its fallback URL and says so");
        JsonSerializer.Serialize(status).Should().NotContain(MainPassword, "the dead primary's credentials never reach the status");
    }

    private static HgCounter.Status.CameraStatus? Gate(HgCounter.Status.StatusSnapshot status) => status.Cameras.FirstOrDefault(c => c.Name == "gate");
}
