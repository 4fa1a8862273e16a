using HgCounter.Configuration;
using HgCounter.Health;
using HgCounter.Runtime.Tests.Events;
using HgCounter.Testing;
using Microsoft.Extensions.Logging;

namespace HgCounter.Runtime.Tests.Agent;

/// <summary>What an operator sees when a real ffmpeg fails on a real RTSP server: the reason in the status, one warning per failure in the logs.</summary>
public sealed class CameraFailureLogTests
{
    private const string Password = "Sh0uldNotLeak";

    [Fact]
    public async Task Run_UnknownMountWithCredentials_StatusSaysNotFoundAndEachFailureIsOneRedactedWarning()
    {
        await using var server = await RtspServerFixture.StartAsync("--width", "160", "--height", "120", "--fps", "10", "--user", "admin", "--password", Password);
        var logs = new LogCapture();
        var url = server.UrlWithCredentials("admin", Password) + "-missing";
        await using var host = await AgentHost.StartAsync(
            TestPaths.NewTempDirectory(),
            o => o.Cameras.Add(new CameraOptions { Name = "door", Url = url, OpenTimeout = TimeSpan.FromSeconds(10) }),
            build: (builder, _) => builder.Logging.AddProvider(logs.Provider()));

        var status = await host.WaitForAsync(s => s.Cameras.Any(c => c.Name == "door" && c.Health.LastFailure == CameraFailureReason.NotFound));

        var camera = status.Cameras.Single(c => c.Name == "door").Health;
        camera.LastError.Should().Contain("404 Not Found").And.NotContain(Password);
        var failures = logs.Lines.Where(l => l.StartsWith("Warning", StringComparison.Ordinal) && l.Contains("404", StringComparison.Ordinal)).ToList();
        failures.Should().NotBeEmpty();
        failures.Should().OnlyContain(l => l.StartsWith("Warning HgCounter.Camera.door:", StringComparison.Ordinal), "the source leaves the report to the camera loop: one warning per failure, not two");
        failures.Should().OnlyContain(l => !l.Contains('\n') && l.Contains("NotFound") && !l.Contains("frame=") && !l.Contains(Password) && l.Length < 600);
        logs.All.Should().NotContain(Password);
    }
}
