using HgCounter.Reliability.Resources;
using HgCounter.Reliability.Tests.Fakes;
using HgCounter.Testing;
using Microsoft.Extensions.Time.Testing;

namespace HgCounter.Reliability.Tests.Resources;

public class LinuxResourceReaderTests
{
    private readonly FakeTimeProvider _time = new();

    [Fact]
    public void Read_ProcMachine_MemoryFromMemAvailableAndCpuFromProcStatDelta()
    {
        var files = FakeSystemFiles.ProcMachine(memoryPercent: 62.5);
        var reader = new LinuxResourceReader(files, _time, processorCount: 2);
        files.AddProcCpu(busy: 85, idle: 15);
        _time.Advance(TimeSpan.FromSeconds(1));

        var reading = reader.Read();

        reader.CgroupDirectory.Should().BeNull();
        reading.Source.Should().Be("/proc");
        reading.MemoryPercent.Should().BeApproximately(62.5, 0.01);
        reading.MemoryLimitBytes.Should().Be(FakeSystemFiles.TotalKb * 1024);
        reading.CpuPercent.Should().BeApproximately(85, 0.5);
        reading.ProcessMemoryBytes.Should().Be(200L * 1024 * 1024);
    }

    [Fact]
    public void Read_CgroupV2WithLimits_UsesContainerMemoryWithoutPageCacheAndCpuQuota()
    {
        var files = FakeSystemFiles.ProcMachine(memoryPercent: 10);
        files.SetCgroupV2(memoryCurrent: 700L << 20, memoryMax: (1L << 30).ToString(System.Globalization.CultureInfo.InvariantCulture), inactiveFile: 188L << 20, cpuMax: "50000 100000");
        var reader = new LinuxResourceReader(files, _time, processorCount: 2);
        // Half a core available; 0.4 s of CPU in 1 s is 80 % of the quota.
        files.AddCgroupCpu(400_000);
        _time.Advance(TimeSpan.FromSeconds(1));

        var reading = reader.Read();

        reader.CgroupDirectory.Should().Be("/sys/fs/cgroup");
        reading.Source.Should().Be("cgroup v2");
        reading.MemoryLimitBytes.Should().Be(1L << 30);
        reading.MemoryUsedBytes.Should().Be(512L << 20);
        reading.MemoryPercent.Should().BeApproximately(50, 0.01);
        reading.CpuPercent.Should().BeApproximately(80, 0.01);
    }

    [Fact]
    public void Read_CgroupV2Unlimited_FallsBackToPhysicalMemoryAndAllCores()
    {
        var files = FakeSystemFiles.ProcMachine();
        files.SetCgroupV2(memoryCurrent: FakeSystemFiles.TotalKb * 1024 / 4, memoryMax: "max", cpuMax: "max 100000");
        var reader = new LinuxResourceReader(files, _time, processorCount: 4);
        files.AddCgroupCpu(2_000_000);
        _time.Advance(TimeSpan.FromSeconds(1));

        var reading = reader.Read();

        reading.MemoryLimitBytes.Should().Be(FakeSystemFiles.TotalKb * 1024);
        reading.MemoryPercent.Should().BeApproximately(25, 0.01);
        reading.CpuPercent.Should().BeApproximately(50, 0.01);
    }

    [Fact]
    public void Read_TwiceWithinMinimumInterval_ReturnsCachedReading()
    {
        var files = FakeSystemFiles.ProcMachine(memoryPercent: 40);
        var reader = new LinuxResourceReader(files, _time);
        _time.Advance(TimeSpan.FromSeconds(1));
        var first = reader.Read();
        files.SetProcMemoryPercent(90);

        _time.Advance(TimeSpan.FromMilliseconds(500));
        reader.Read().Should().BeSameAs(first);
        _time.Advance(TimeSpan.FromMilliseconds(500));
        reader.Read().MemoryPercent.Should().BeApproximately(90, 0.01);
    }

    [Fact]
    public void Read_ThisMachine_ReturnsSaneNumbers()
    {
        var reader = new LinuxResourceReader(PhysicalSystemFiles.Instance, _time);
        var sum = 0.0;
        for (var i = 0; i < 5_000_000; i++)
        {
            sum += Math.Sqrt(i);
        }

        _time.Advance(TimeSpan.FromSeconds(1));
        var reading = reader.Read();

        sum.Should().BePositive();
        reading.MemoryLimitBytes.Should().BeGreaterThan(64L << 20);
        reading.MemoryUsedBytes.Should().BeInRange(1, reading.MemoryLimitBytes);
        reading.MemoryPercent.Should().BeInRange(0.01, 100);
        reading.CpuPercent.Should().BeInRange(0, 100);
        reading.ProcessCpuPercent.Should().BeInRange(0, 100);
        reading.ProcessMemoryBytes.Should().BeInRange(10L << 20, reading.MemoryLimitBytes, "a .NET test host has a resident set of tens of MiB");
        reading.Source.Should().Be(File.Exists("/sys/fs/cgroup/cgroup.controllers") ? "cgroup v2" : "/proc");
    }

    [Fact]
    public void GetDiskSpace_ThisMachine_SaneNumbersEvenForAMissingSubdirectory()
    {
        var directory = Path.Combine(TestPaths.NewTempDirectory(), "not", "yet", "created");

        var space = PhysicalSystemFiles.Instance.GetDiskSpace(directory);

        space.Should().NotBeNull();
        space!.Value.TotalBytes.Should().BePositive();
        space.Value.AvailableBytes.Should().BeInRange(0, space.Value.TotalBytes);
        space.Value.UsedPercent.Should().BeInRange(0, 100);
    }
}
