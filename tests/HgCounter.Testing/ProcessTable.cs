using System.Diagnostics;
using System.Globalization;

namespace HgCounter.Testing;

/// <summary>Reads /proc to find child processes of this test process (to prove no ffmpeg is left behind).</summary>
public static class ProcessTable
{
    /// <summary>Live (non-zombie) children of the current process whose command line contains <paramref name="marker"/>.</summary>
    public static IReadOnlyList<ProcessEntry> ChildrenContaining(string marker)
    {
        var self = Environment.ProcessId;
        var result = new List<ProcessEntry>();
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(dir), NumberStyles.None, CultureInfo.InvariantCulture, out var pid))
            {
                continue;
            }

            try
            {
                // /proc/PID/stat: "pid (comm) state ppid ..."; comm may contain spaces, so parse after the last ')'.
                var stat = File.ReadAllText(Path.Combine(dir, "stat"));
                var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
                if (fields[0] == "Z" || int.Parse(fields[1], CultureInfo.InvariantCulture) != self)
                {
                    continue;
                }

                var cmdline = File.ReadAllText(Path.Combine(dir, "cmdline")).Replace('\0', ' ').Trim();
                if (cmdline.Contains(marker, StringComparison.Ordinal))
                {
                    result.Add(new ProcessEntry(pid, cmdline));
                }
            }
            catch (IOException)
            {
                // The process exited while we looked.
            }
            catch (UnauthorizedAccessException)
            {
                // Not ours.
            }
        }

        return result;
    }

    /// <summary>Waits (bounded) until no child matching <paramref name="marker"/> is left; returns what is left.</summary>
    public static async Task<IReadOnlyList<ProcessEntry>> WaitForNoChildrenAsync(string marker, TimeSpan bound)
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            var left = ChildrenContaining(marker);
            if (left.Count == 0 || clock.Elapsed >= bound)
            {
                return left;
            }

            await Task.Delay(100);
        }
    }

    /// <summary>Whether process <paramref name="pid"/> exists and is not a zombie.</summary>
    public static bool IsAlive(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            return stat[stat.LastIndexOf(')') + 2] != 'Z';
        }
        catch (IOException)
        {
            return false;
        }
    }

    /// <summary>Waits (bounded) until process <paramref name="pid"/> is gone; true when it is.</summary>
    public static async Task<bool> WaitForExitAsync(int pid, TimeSpan bound)
    {
        var clock = Stopwatch.StartNew();
        while (IsAlive(pid))
        {
            if (clock.Elapsed >= bound)
            {
                return false;
            }

            await Task.Delay(100);
        }

        return true;
    }
}
