using HgCounter.Reliability.Health;
using HgCounter.Testing;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace HgCounter.Reliability.Tests.Health;

public class FilePermissionsHealthCheckTests
{
    private static Task<HealthCheckResult> RunAsync(FilePermissionsHealthCheck check) =>
        check.CheckHealthAsync(new HealthCheckContext { Registration = new HealthCheckRegistration("permissions", check, null, null) });

    [Fact]
    public async Task CheckHealth_WritableDirectories_HealthyAndLeavesNoProbeFiles()
    {
        var root = TestPaths.NewTempDirectory();
        var data = Path.Combine(root, "data");
        var outbox = Path.Combine(root, "outbox");

        var result = await RunAsync(new FilePermissionsHealthCheck([data, outbox]));

        result.Status.Should().Be(HealthStatus.Healthy);
        Directory.EnumerateFileSystemEntries(data).Should().BeEmpty();
        Directory.EnumerateFileSystemEntries(outbox).Should().BeEmpty();
    }

    [Fact]
    public async Task CheckHealth_DirectoryCannotBeCreated_UnhealthyNamingIt()
    {
        // Root can write anywhere, so block the directory with a file where its parent should be.
        var root = TestPaths.NewTempDirectory();
        var blocker = Path.Combine(root, "blocker");
        await File.WriteAllTextAsync(blocker, "x");
        var data = Path.Combine(blocker, "data");

        var result = await RunAsync(new FilePermissionsHealthCheck([root, data]));

        result.Status.Should().Be(HealthStatus.Unhealthy);
        result.Description.Should().Contain(data).And.NotContain($"{root}:");
    }
}
