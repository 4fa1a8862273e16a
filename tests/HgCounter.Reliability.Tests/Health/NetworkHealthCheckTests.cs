using System.Net;
using System.Net.Sockets;
using HgCounter.Configuration;
using HgCounter.Reliability.Health;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace HgCounter.Reliability.Tests.Health;

/// <summary>Real DNS and real TCP sockets on the loopback interface.</summary>
public sealed class NetworkHealthCheckTests : IDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly HealthCheckOptions _options = new() { DnsHost = "localhost", NetworkTimeout = TimeSpan.FromSeconds(5) };

    public NetworkHealthCheckTests() => _listener.Start();

    private int OpenPort => ((IPEndPoint)_listener.LocalEndpoint).Port;

    public void Dispose() => _listener.Dispose();


    private static CameraOptions Camera(string name, string url) => new() { Name = name, Url = url };

    private Task<HealthCheckResult> RunAsync(params CameraOptions[] cameras)
    {
        var check = new NetworkHealthCheck(_options, cameras, TimeProvider.System);
        return check.CheckHealthAsync(new HealthCheckContext { Registration = new HealthCheckRegistration("network", check, null, null) }, HgCounter.Testing.TestContext.Timeout());
    }

    [Fact]
    public async Task CheckHealth_DnsResolvesAndCameraListening_Healthy()
    {
        var result = await RunAsync(Camera("door", $"rtsp://admin:s3cret@127.0.0.1:{OpenPort}/live"));

        result.Status.Should().Be(HealthStatus.Healthy);
        result.Description.Should().Contain("dns localhost resolved").And.Contain("1 camera endpoint(s) reachable");
    }

    [Fact]
    public async Task CheckHealth_OnlyCameraRefusesConnections_UnhealthyNamingHostPortWithoutCredentials()
    {
        var port = HgCounter.Testing.FreePort.Next();

        var result = await RunAsync(Camera("door", $"rtsp://admin:s3cret@127.0.0.1:{port}/live"));

        result.Status.Should().Be(HealthStatus.Unhealthy);
        result.Description.Should().Contain($"door 127.0.0.1:{port}").And.Contain("ConnectionRefused");
        result.Description.Should().NotContain("s3cret").And.NotContain("admin");
    }

    [Fact]
    public async Task CheckHealth_OneOfTwoCamerasDown_Degraded()
    {
        var result = await RunAsync(
            Camera("up", $"rtsp://127.0.0.1:{OpenPort}/a"),
            Camera("down", $"rtsp://127.0.0.1:{HgCounter.Testing.FreePort.Next()}/b"));

        result.Status.Should().Be(HealthStatus.Degraded);
        result.Description.Should().Contain("1 of 2 camera endpoint(s) unreachable").And.Contain("down 127.0.0.1");
    }

    [Fact]
    public async Task CheckHealth_HostUnresolvable_DegradedWithDnsFailure()
    {
        _options.DnsHost = "no-such-host.invalid";

        var result = await RunAsync();

        result.Status.Should().Be(HealthStatus.Degraded);
        result.Description.Should().Contain("dns no-such-host.invalid failed");
    }

    [Fact]
    public async Task CheckHealth_FilesAndDevicesOnly_NoEndpointsProbed()
    {
        _options.DnsHost = null;

        var result = await RunAsync(Camera("file", "/videos/a.mp4"), Camera("usb", "device:0"), Camera("demo", "synthetic:demo"));

        result.Status.Should().Be(HealthStatus.Healthy);
        result.Description.Should().Be("no DNS host and no network cameras configured");
    }
}
