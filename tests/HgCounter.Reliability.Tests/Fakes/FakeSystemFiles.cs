using System.Globalization;
using HgCounter.Reliability.Resources;

namespace HgCounter.Reliability.Tests.Fakes;

/// <summary>An in-memory /proc and cgroup file system plus a settable disk, to present any machine state.</summary>
internal sealed class FakeSystemFiles : ISystemFiles
{
    private readonly Dictionary<string, string> _files = new(StringComparer.Ordinal);
    private double _busyTicks;
    private double _idleTicks;
    private long _cgroupUsageUsec;

    public DiskSpace? Disk { get; set; } = new DiskSpace(100_000_000_000, 50_000_000_000, 50_000_000_000);

    public string? ReadText(string path) => _files.TryGetValue(path, out var text) ? text : null;

    public DiskSpace? GetDiskSpace(string path) => Disk;

    public void Set(string path, string text) => _files[path] = text;

    /// <summary>Disk with <paramref name="usedPercent"/> used and no reserved blocks.</summary>
    public void SetDiskUsedPercent(double usedPercent)
    {
        const long total = 1_000_000_000_000;
        var free = (long)(total * (100 - usedPercent) / 100);
        Disk = new DiskSpace(total, free, free);
    }

    /// <summary>Physical memory of the fake machine: 10,000,000 kB, so that whole percentages are exact.</summary>
    public const long TotalKb = 10_000_000;

    /// <summary>A plain /proc machine (no cgroup v2) with <see cref="TotalKb"/> and the given memory use; process RSS 200 MiB.</summary>
    public static FakeSystemFiles ProcMachine(double memoryPercent = 50)
    {
        var files = new FakeSystemFiles();
        files.SetProcMemoryPercent(memoryPercent);
        files.Set("/proc/self/status", "Name:\tdotnet\nVmRSS:\t  204800 kB\n");
        files.Set("/proc/self/stat", "42 (dotnet host) S 1 42 42 0 -1 4194560 100 0 0 0 500 100 0 0 20 0 10 0");
        files.AddProcCpu(busy: 1000, idle: 9000);
        return files;
    }

    public void SetProcMemoryPercent(double percent)
    {
        var availableKb = (long)Math.Round(TotalKb * (100 - percent) / 100);
        Set("/proc/meminfo", string.Create(CultureInfo.InvariantCulture, $"MemTotal:       {TotalKb} kB\nMemFree:        1000 kB\nMemAvailable:   {availableKb} kB\n"));
    }

    /// <summary>Advances /proc/stat by <paramref name="busy"/> busy and <paramref name="idle"/> idle ticks (split over user/system and idle/iowait).</summary>
    public void AddProcCpu(double busy, double idle)
    {
        _busyTicks += busy;
        _idleTicks += idle;
        // Whole ticks, split so that user+system and idle+iowait add up exactly.
        var user = Math.Floor(_busyTicks * 0.75);
        var system = Math.Round(_busyTicks) - user;
        var idleColumn = Math.Floor(_idleTicks * 0.9);
        var iowait = Math.Round(_idleTicks) - idleColumn;
        Set("/proc/stat", string.Create(CultureInfo.InvariantCulture, $"cpu  {user:0} 0 {system:0} {idleColumn:0} {iowait:0} 0 0 0 0 0\ncpu0 1 0 1 1 0 0 0 0 0 0\nintr 1\n"));
    }

    /// <summary>Turns the machine into a cgroup v2 container with the given memory and CPU limits.</summary>
    public void SetCgroupV2(long memoryCurrent, string memoryMax, long inactiveFile = 0, string cpuMax = "max 100000")
    {
        Set("/sys/fs/cgroup/cgroup.controllers", "cpuset cpu io memory pids");
        Set("/proc/self/cgroup", "0::/\n");
        Set("/sys/fs/cgroup/memory.current", memoryCurrent.ToString(CultureInfo.InvariantCulture) + "\n");
        Set("/sys/fs/cgroup/memory.max", memoryMax + "\n");
        Set("/sys/fs/cgroup/memory.stat", string.Create(CultureInfo.InvariantCulture, $"anon 1000\nfile 5000\ninactive_file {inactiveFile}\nactive_file 10\n"));
        Set("/sys/fs/cgroup/cpu.max", cpuMax + "\n");
        AddCgroupCpu(0);
    }

    public void AddCgroupCpu(long usageUsec)
    {
        _cgroupUsageUsec += usageUsec;
        Set("/sys/fs/cgroup/cpu.stat", string.Create(CultureInfo.InvariantCulture, $"usage_usec {_cgroupUsageUsec}\nuser_usec 1\nsystem_usec 1\n"));
    }
}
