using System.Globalization;

namespace HgCounter.Reliability.Resources;

/// <summary>
/// Reads CPU and memory from cgroup v2 files when the process runs in a cgroup v2 hierarchy (<c>memory.max</c>,
/// <c>memory.current</c>, <c>memory.stat</c>, <c>cpu.max</c>, <c>cpu.stat</c>), otherwise from <c>/proc/meminfo</c> and
/// <c>/proc/stat</c>; the process figures come from <c>/proc/self/stat</c> and <c>/proc/self/status</c>.
/// CPU is a rate, so each reading is the average since the previous one (the first since construction);
/// readings less than <see cref="MinimumInterval"/> apart return the cached one so that callers sharing the reader
/// do not measure over a few microseconds. Thread-safe.
/// </summary>
internal sealed class LinuxResourceReader : IResourceReader
{
    /// <summary>Readings closer together than this return the previous result.</summary>
    public static readonly TimeSpan MinimumInterval = TimeSpan.FromSeconds(1);

    private const string CgroupRoot = "/sys/fs/cgroup";
    private const double ClockTicksPerSecond = 100.0; // USER_HZ; 100 on every mainstream Linux build.

    private readonly ISystemFiles _files;
    private readonly TimeProvider _time;
    private readonly int _processorCount;
    private readonly Lock _lock = new();
    private CpuCounters _previous;
    private ResourceReading? _last;

    /// <summary>Creates the reader and takes the CPU baseline.</summary>
    /// <param name="files">File access (the real one: <see cref="PhysicalSystemFiles.Instance"/>).</param>
    /// <param name="timeProvider">Clock for CPU rates.</param>
    /// <param name="processorCount">Cores visible to the process; defaults to <see cref="Environment.ProcessorCount"/>.</param>
    public LinuxResourceReader(ISystemFiles files, TimeProvider timeProvider, int? processorCount = null)
    {
        ArgumentNullException.ThrowIfNull(files);
        ArgumentNullException.ThrowIfNull(timeProvider);
        _files = files;
        _time = timeProvider;
        _processorCount = Math.Max(1, processorCount ?? Environment.ProcessorCount);
        CgroupDirectory = FindCgroupDirectory();
        _previous = ReadCpuCounters();
    }

    /// <summary>The cgroup v2 directory of this process, or <c>null</c> when cgroup v2 is not in use.</summary>
    public string? CgroupDirectory { get; }

    /// <inheritdoc />
    public ResourceReading Read()
    {
        lock (_lock)
        {
            var now = _time.GetUtcNow();
            if (_last is not null && now - _last.Timestamp < MinimumInterval)
            {
                return _last;
            }

            var counters = ReadCpuCounters();
            var (cpu, processCpu) = CpuSince(_previous, counters);
            _previous = counters;
            var (used, limit) = ReadMemory();
            var percent = limit > 0 ? Math.Clamp(used * 100.0 / limit, 0, 100) : 0;
            _last = new ResourceReading(now, cpu, percent, used, limit, processCpu, ReadProcessMemory(), CgroupDirectory is null ? "/proc" : "cgroup v2");
            return _last;
        }
    }

    private string? FindCgroupDirectory()
    {
        // cgroup v2 ("unified") has cgroup.controllers at its root; v1 and hybrid hosts fall back to /proc.
        if (_files.ReadText(CgroupRoot + "/cgroup.controllers") is null)
        {
            return null;
        }

        var relative = _files.ReadText("/proc/self/cgroup")?
            .Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .FirstOrDefault(l => l.StartsWith("0::", StringComparison.Ordinal))?[3..].Trim();
        if (!string.IsNullOrEmpty(relative) && relative != "/")
        {
            var nested = CgroupRoot + relative;
            if (_files.ReadText(nested + "/memory.current") is not null || _files.ReadText(nested + "/cpu.stat") is not null)
            {
                return nested;
            }
        }

        // Inside a container the namespace root is the container's own cgroup.
        return CgroupRoot;
    }

    private (long Used, long Limit) ReadMemory()
    {
        var meminfo = _files.ReadText("/proc/meminfo");
        var physical = KeyValue(meminfo, "MemTotal:") * 1024;
        if (CgroupDirectory is { } cgroup && ParseLong(_files.ReadText(cgroup + "/memory.current")) is { } current)
        {
            // Like `docker stats` and ResourceMonitoring: page cache that can be reclaimed is not pressure.
            var inactiveFile = KeyValue(_files.ReadText(cgroup + "/memory.stat"), "inactive_file");
            var used = Math.Max(0, current - inactiveFile);
            var max = ParseLong(_files.ReadText(cgroup + "/memory.max"));
            var limit = max is { } m && m > 0 && (physical <= 0 || m < physical) ? m : physical;
            return (used, limit);
        }

        var available = KeyValue(meminfo, "MemAvailable:") * 1024;
        return (Math.Max(0, physical - available), physical);
    }

    private long ReadProcessMemory() => KeyValue(_files.ReadText("/proc/self/status"), "VmRSS:") * 1024;

    private CpuCounters ReadCpuCounters()
    {
        var timestamp = _time.GetTimestamp();
        var process = ReadProcessCpuSeconds();
        if (CgroupDirectory is { } cgroup)
        {
            var usageSeconds = KeyValue(_files.ReadText(cgroup + "/cpu.stat"), "usage_usec") / 1_000_000.0;
            return new CpuCounters(timestamp, usageSeconds, 0, 0, process, CgroupCores(cgroup));
        }

        var line = _files.ReadText("/proc/stat")?.Split('\n').FirstOrDefault(l => l.StartsWith("cpu ", StringComparison.Ordinal));
        if (line is null)
        {
            return new CpuCounters(timestamp, 0, 0, 0, process, _processorCount);
        }

        var fields = line.Split(' ', StringSplitOptions.RemoveEmptyEntries).Skip(1).Select(f => double.TryParse(f, NumberStyles.Float, CultureInfo.InvariantCulture, out var v) ? v : 0).ToArray();
        // user nice system idle iowait irq softirq steal [guest guest_nice — already inside user/nice]
        var total = fields.Take(8).Sum();
        var idle = fields.ElementAtOrDefault(3) + fields.ElementAtOrDefault(4);
        return new CpuCounters(timestamp, 0, total - idle, total, process, _processorCount);
    }

    private double CgroupCores(string cgroup)
    {
        var parts = _files.ReadText(cgroup + "/cpu.max")?.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (parts is { Length: >= 2 } && parts[0] != "max"
            && double.TryParse(parts[0], NumberStyles.Float, CultureInfo.InvariantCulture, out var quota)
            && double.TryParse(parts[1], NumberStyles.Float, CultureInfo.InvariantCulture, out var period) && period > 0 && quota > 0)
        {
            return Math.Min(quota / period, _processorCount);
        }

        return _processorCount;
    }

    private double ReadProcessCpuSeconds()
    {
        // /proc/self/stat: "pid (comm) state ..." — comm may contain spaces, so fields are counted after the last ')'.
        var text = _files.ReadText("/proc/self/stat");
        var close = text?.LastIndexOf(')') ?? -1;
        if (text is null || close < 0)
        {
            return 0;
        }

        var fields = text[(close + 1)..].Split(' ', StringSplitOptions.RemoveEmptyEntries);
        // After ')': state is field 3, utime field 14, stime field 15 → indices 11 and 12 here.
        return fields.Length > 12
            && long.TryParse(fields[11], NumberStyles.Integer, CultureInfo.InvariantCulture, out var utime)
            && long.TryParse(fields[12], NumberStyles.Integer, CultureInfo.InvariantCulture, out var stime)
            ? (utime + stime) / ClockTicksPerSecond
            : 0;
    }

    private (double Cpu, double ProcessCpu) CpuSince(CpuCounters before, CpuCounters after)
    {
        var elapsed = _time.GetElapsedTime(before.Timestamp, after.Timestamp).TotalSeconds;
        var processCpu = elapsed > 0 ? Percent(after.ProcessSeconds - before.ProcessSeconds, elapsed * _processorCount) : _last?.ProcessCpuPercent ?? 0;
        double cpu;
        if (CgroupDirectory is not null)
        {
            cpu = elapsed > 0 ? Percent(after.CgroupUsageSeconds - before.CgroupUsageSeconds, elapsed * after.Cores) : _last?.CpuPercent ?? 0;
        }
        else
        {
            var total = after.TotalTicks - before.TotalTicks;
            cpu = total > 0 ? Percent(after.BusyTicks - before.BusyTicks, total) : _last?.CpuPercent ?? 0;
        }

        return (cpu, processCpu);
    }

    private static double Percent(double part, double whole) => whole > 0 ? Math.Clamp(part / whole * 100.0, 0, 100) : 0;

    private static long? ParseLong(string? text) =>
        long.TryParse(text?.Trim(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) ? value : null;

    /// <summary>The first number after <paramref name="key"/> at the start of a line ("MemTotal:  123 kB", "usage_usec 42"); 0 if absent.</summary>
    private static long KeyValue(string? text, string key)
    {
        if (text is null)
        {
            return 0;
        }

        foreach (var line in text.Split('\n'))
        {
            if (line.StartsWith(key, StringComparison.Ordinal) && (line.Length == key.Length || line[key.Length] is ' ' or '\t' || key.EndsWith(':')))
            {
                var parts = line[key.Length..].Split([' ', '\t'], StringSplitOptions.RemoveEmptyEntries);
                return parts.Length > 0 && long.TryParse(parts[0], NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) ? value : 0;
            }
        }

        return 0;
    }

    private readonly record struct CpuCounters(long Timestamp, double CgroupUsageSeconds, double BusyTicks, double TotalTicks, double ProcessSeconds, double Cores);
}
