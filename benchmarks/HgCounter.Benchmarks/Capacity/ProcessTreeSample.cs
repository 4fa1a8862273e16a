using System.Globalization;

namespace HgCounter.Benchmarks.Capacity;

/// <summary>
/// CPU time and resident memory of this process and its child processes (the ffmpeg decoders), read from /proc.
/// Processes in <c>exclude</c> (the RTSP server standing in for cameras) are left out. Children that have exited and
/// been reaped (an ffprobe, a decoder replaced on reconnect) still count: their time is in this process's cutime/cstime.
/// </summary>
public sealed record ProcessTreeSample(double CpuSeconds, long RssBytes, long ManagedBytes)
{
    private static readonly double TicksPerSecond = 100; // USER_HZ on Linux

    public static ProcessTreeSample Take(IReadOnlySet<int> exclude)
    {
        var self = Environment.ProcessId;
        var cpu = ProcessCpuSeconds(self) + ReapedChildrenCpuSeconds(self);
        var rss = Rss(self);
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(dir), NumberStyles.None, CultureInfo.InvariantCulture, out var pid) || pid == self || exclude.Contains(pid))
            {
                continue;
            }

            if (ParentOf(pid) == self)
            {
                cpu += ProcessCpuSeconds(pid);
                rss += Rss(pid);
            }
        }

        return new ProcessTreeSample(cpu, rss, GC.GetTotalMemory(forceFullCollection: false));
    }

    /// <summary>CPU seconds of one process (utime + stime), 0 when it has gone.</summary>
    public static double ProcessCpuSeconds(int pid) => StatFields(pid) is { } fields ? Seconds(fields, 11) + Seconds(fields, 12) : 0;

    private static double ReapedChildrenCpuSeconds(int pid) => StatFields(pid) is { } fields ? Seconds(fields, 13) + Seconds(fields, 14) : 0;

    private static double Seconds(string[] fields, int index) => long.Parse(fields[index], CultureInfo.InvariantCulture) / TicksPerSecond;

    private static int ParentOf(int pid) => StatFields(pid) is { } fields ? int.Parse(fields[1], CultureInfo.InvariantCulture) : -1;

    // Fields after the ")" that closes the command name: [0] state, [1] ppid, ..., [11] utime, [12] stime, [13] cutime, [14] cstime.
    private static string[]? StatFields(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            return stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        }
        catch (IOException)
        {
            return null;
        }
    }

    private static long Rss(int pid)
    {
        try
        {
            foreach (var line in File.ReadLines($"/proc/{pid}/status"))
            {
                if (line.StartsWith("VmRSS:", StringComparison.Ordinal))
                {
                    return long.Parse(line.AsSpan(6).Trim().TrimEnd("kB").Trim(), CultureInfo.InvariantCulture) * 1024;
                }
            }
        }
        catch (IOException)
        {
        }

        return 0;
    }
}
