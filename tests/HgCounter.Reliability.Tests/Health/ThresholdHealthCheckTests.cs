using HgCounter.Configuration;
using HgCounter.Reliability.Health;
using HgCounter.Reliability.Resources;
using HgCounter.Reliability.Tests.Fakes;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Time.Testing;

namespace HgCounter.Reliability.Tests.Health;

/// <summary>Disk, memory and CPU thresholds at and around each boundary, through a fake /proc and disk.</summary>
public class ThresholdHealthCheckTests
{
    private readonly FakeTimeProvider _time = new();
    private readonly HealthCheckOptions _options = new();

    private static Task<HealthCheckResult> RunAsync(IHealthCheck check) =>
        check.CheckHealthAsync(new HealthCheckContext { Registration = new HealthCheckRegistration("x", check, null, null) });

    [Theory]
    [InlineData(50, HealthStatus.Healthy)]
    [InlineData(84, HealthStatus.Healthy)]
    [InlineData(84.9, HealthStatus.Healthy)]
    [InlineData(85, HealthStatus.Degraded)]
    [InlineData(86, HealthStatus.Degraded)]
    [InlineData(94, HealthStatus.Degraded)]
    [InlineData(95, HealthStatus.Unhealthy)]
    [InlineData(96, HealthStatus.Unhealthy)]
    public async Task DiskSpace_UsedPercent_WarnsAt85ErrorAt95(double used, HealthStatus expected)
    {
        var files = new FakeSystemFiles();
        files.SetDiskUsedPercent(used);

        var result = await RunAsync(new DiskSpaceHealthCheck("/data", _options, files));

        result.Status.Should().Be(expected);
        result.Description.Should().Contain($"disk {used:0.0} % used").And.Contain("/data");
    }

    [Fact]
    public async Task DiskSpace_ReservedRootBlocks_CountedLikeDf()
    {
        var files = new FakeSystemFiles { Disk = new DiskSpace(TotalBytes: 1000, FreeBytes: 150, AvailableBytes: 100) };

        var result = await RunAsync(new DiskSpaceHealthCheck("/data", _options, files));

        // df: used 850 / (850 + 100 available) = 89.5 %.
        result.Status.Should().Be(HealthStatus.Degraded);
        result.Description.Should().Contain("89.5 %");
    }

    [Fact]
    public async Task DiskSpace_Unreadable_Unhealthy()
    {
        var files = new FakeSystemFiles { Disk = null };

        var result = await RunAsync(new DiskSpaceHealthCheck("/data", _options, files));

        result.Status.Should().Be(HealthStatus.Unhealthy);
    }

    [Theory]
    [InlineData(79, HealthStatus.Healthy)]
    [InlineData(80, HealthStatus.Degraded)]
    [InlineData(81, HealthStatus.Degraded)]
    [InlineData(89, HealthStatus.Degraded)]
    [InlineData(90, HealthStatus.Unhealthy)]
    [InlineData(91, HealthStatus.Unhealthy)]
    public async Task Memory_ProcMachine_WarnsAt80ErrorAt90(double percent, HealthStatus expected)
    {
        var files = FakeSystemFiles.ProcMachine(percent);
        var reader = new LinuxResourceReader(files, _time);

        var result = await RunAsync(new MemoryHealthCheck(reader, _options));

        result.Status.Should().Be(expected);
        result.Description.Should().Contain($"memory {percent:0.0} %").And.Contain("/proc");
    }

    [Theory]
    [InlineData(79, HealthStatus.Healthy)]
    [InlineData(80, HealthStatus.Degraded)]
    [InlineData(89, HealthStatus.Degraded)]
    [InlineData(90, HealthStatus.Unhealthy)]
    public async Task Memory_CgroupV2Container_MeasuredAgainstTheContainerLimit(double percent, HealthStatus expected)
    {
        var files = FakeSystemFiles.ProcMachine(memoryPercent: 5);
        files.SetCgroupV2(memoryCurrent: (long)percent * 10_000_000, memoryMax: "1000000000");
        var reader = new LinuxResourceReader(files, _time);

        var result = await RunAsync(new MemoryHealthCheck(reader, _options));

        result.Status.Should().Be(expected);
        result.Description.Should().Contain("cgroup v2").And.Contain("of 954 MiB");
    }

    [Theory]
    [InlineData(89, HealthStatus.Healthy)]
    [InlineData(90, HealthStatus.Degraded)]
    [InlineData(91, HealthStatus.Degraded)]
    [InlineData(100, HealthStatus.Degraded)]
    public async Task Cpu_ProcStat_WarnsAt90AndNeverErrors(double percent, HealthStatus expected)
    {
        var files = FakeSystemFiles.ProcMachine();
        var reader = new LinuxResourceReader(files, _time);
        files.AddProcCpu(busy: percent * 10, idle: (100 - percent) * 10);
        _time.Advance(TimeSpan.FromSeconds(1));

        var result = await RunAsync(new CpuHealthCheck(reader, _options));

        result.Status.Should().Be(expected);
        result.Description.Should().Contain($"cpu {percent:0.0} %");
    }
}
