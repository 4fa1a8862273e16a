namespace HgCounter.Benchmarks.Capacity;

/// <summary>The load average of the machine (1, 5 and 15 minutes, from /proc/loadavg): how shared the box was.</summary>
public static class MachineLoad
{
    public static string Read() => string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3));
}
