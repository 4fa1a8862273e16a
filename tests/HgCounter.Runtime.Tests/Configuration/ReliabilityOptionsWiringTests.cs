using HgCounter.Configuration;
using HgCounter.Runtime.Tests.Agent;
using HgCounter.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;

namespace HgCounter.Runtime.Tests.Configuration;

/// <summary><c>AddHgCounter()</c> hands the reliability services the sections of <c>HgCounter</c>, not defaults of their own.</summary>
public class ReliabilityOptionsWiringTests
{
    [Fact]
    public async Task AddHgCounter_ReliabilityServices_ReadTheHgCounterSectionsAndCameras()
    {
        var data = TestPaths.NewTempDirectory();
        await using var host = await AgentHost.StartAsync(data, o =>
        {
            o.Cameras.Add(new CameraOptions { Name = "gate", Url = $"rtsp://127.0.0.1:{FreePort.Next()}/stream", OpenTimeout = TimeSpan.FromSeconds(3) });
            o.Watchdog.StallTimeout = TimeSpan.FromSeconds(42);
            o.ResourceGuard.MaxFps = 7;
        });
        var options = host.Services.GetRequiredService<IOptions<HgCounterOptions>>().Value;

        var report = await host.Services.GetRequiredService<HealthCheckService>()
            .CheckHealthAsync(r => r.Name is "hgcounter-network" or "hgcounter-permissions", TestContext.Timeout());

        var network = report.Entries["hgcounter-network"];
        network.Status.Should().Be(HealthStatus.Unhealthy, "the only camera's port is closed");
        network.Description.Should().Contain("gate", "the network check probes HgCounter:Cameras")
            .And.NotContain("dns", "HgCounter:HealthChecks:DnsHost is null in this host");
        report.Entries["hgcounter-permissions"].Status.Should().Be(HealthStatus.Healthy);
        host.Services.GetRequiredService<IOptions<WatchdogOptions>>().Value.StallTimeout.Should().Be(TimeSpan.FromSeconds(42));
        host.Services.GetRequiredService<IOptions<ResourceGuardOptions>>().Value.Should().BeSameAs(options.ResourceGuard);
    }
}
