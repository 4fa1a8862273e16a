using HgCounter.Configuration;
using HgCounter.Reliability.Health;
using HgCounter.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace HgCounter.Reliability.Tests.Health;

/// <summary>The checks through a real <see cref="HealthCheckService"/> on this machine.</summary>
public class HealthCheckServiceIntegrationTests
{
    private static ServiceProvider Build(string root)
    {
        var services = new ServiceCollection();
        services.AddLogging();
        services.Configure<HealthCheckOptions>(o => o.DnsHost = "localhost");
        services.AddSingleton(new HealthCheckTargets { DataDirectory = Path.Combine(root, "data"), WritableDirectories = [Path.Combine(root, "outbox")] });
        services.AddHealthChecks().AddHgCounterChecks();
        return services.BuildServiceProvider();
    }

    [Fact]
    public async Task CheckHealth_RealMachine_EveryHgCounterCheckReportsAndPermissionsAreHealthy()
    {
        await using var provider = Build(TestPaths.NewTempDirectory());
        var service = provider.GetRequiredService<HealthCheckService>();

        var report = await service.CheckHealthAsync(TestContext.Timeout());

        report.Entries.Keys.Should().BeEquivalentTo("hgcounter-disk", "hgcounter-memory", "hgcounter-cpu", "hgcounter-network", "hgcounter-permissions", "hgcounter-cameras");
        report.Entries.Values.Should().OnlyContain(e => e.Exception == null && !string.IsNullOrEmpty(e.Description));
        report.Entries["hgcounter-permissions"].Status.Should().Be(HealthStatus.Healthy);
        report.Entries["hgcounter-network"].Status.Should().Be(HealthStatus.Healthy, "localhost resolves and no network camera is configured");
        report.Entries["hgcounter-disk"].Description.Should().Contain("% used");
        report.Entries["hgcounter-memory"].Description.Should().MatchRegex(@"memory \d+\.\d %");
    }

    [Fact]
    public async Task CheckHealth_OptionsAndTargetsFromServices_NetworkCheckProbesTheRegisteredCameraOnly()
    {
        var services = new ServiceCollection();
        services.AddLogging();
        services.Configure<HealthCheckOptions>(o => o.DnsHost = null);
        services.AddSingleton(new HealthCheckTargets
        {
            DataDirectory = TestPaths.NewTempDirectory(),
            Cameras = [new CameraOptions { Name = "gate", Url = $"rtsp://127.0.0.1:{FreePort.Next()}/stream" }],
        });
        services.AddHealthChecks().AddHgCounterChecks();
        await using var provider = services.BuildServiceProvider();

        var report = await provider.GetRequiredService<HealthCheckService>().CheckHealthAsync(r => r.Name == "hgcounter-network", TestContext.Timeout());

        var network = report.Entries["hgcounter-network"];
        network.Status.Should().Be(HealthStatus.Unhealthy, "the only camera's port is closed");
        network.Description.Should().Contain("gate").And.NotContain("dns", "DnsHost null from IOptions<HealthCheckOptions> disables the DNS part");
    }

    [Fact]
    public async Task CheckHealth_LivenessPredicate_OnlyLiveTaggedChecksRun()
    {
        await using var provider = Build(TestPaths.NewTempDirectory());
        var service = provider.GetRequiredService<HealthCheckService>();

        var live = await service.CheckHealthAsync(r => r.Tags.Contains("live"), TestContext.Timeout());
        var ready = await service.CheckHealthAsync(r => r.Tags.Contains("ready"), TestContext.Timeout());

        live.Entries.Keys.Should().Equal("hgcounter-memory");
        ready.Entries.Should().HaveCount(6);
    }
}
