using System.Globalization;

namespace HgCounter.FaultTests.Infrastructure;

/// <summary>Reads a process's resident memory, thread count and open file descriptors from /proc.</summary>
internal static class ProcessProbe
{
    /// <summary>Open file descriptors of process <paramref name="pid"/> (the entries of /proc/PID/fd).</summary>
    public static int OpenFileDescriptors(int pid) => Directory.GetFileSystemEntries($"/proc/{pid}/fd").Length;

    /// <summary>What each open descriptor of <paramref name="pid"/> points at, counted by kind (<c>pipe</c>, <c>socket</c>, a path).</summary>
    public static IReadOnlyDictionary<string, int> FileDescriptorKinds(int pid)
    {
        var kinds = new SortedDictionary<string, int>(StringComparer.Ordinal);
        foreach (var fd in Directory.GetFileSystemEntries($"/proc/{pid}/fd"))
        {
            try
            {
                var target = new FileInfo(fd).LinkTarget ?? "?";
                var kind = target.Contains(':', StringComparison.Ordinal) ? target[..target.IndexOf(':', StringComparison.Ordinal)] : target;
                kinds[kind] = kinds.GetValueOrDefault(kind) + 1;
            }
            catch (IOException)
            {
                // Closed while we looked.
            }
        }

        return kinds;
    }

    /// <summary>Open pipes, sockets and anonymous inodes of <paramref name="pid"/>: descriptors that a leak of child processes or connections leaves (loaded assemblies are files and not counted).</summary>
    public static int IoDescriptors(int pid) => FileDescriptorKinds(pid).Where(k => !k.Key.StartsWith('/')).Sum(k => k.Value);

    /// <summary>VmRSS of process <paramref name="pid"/> in MiB.</summary>
    public static double ResidentMegabytes(int pid) => StatusField(pid, "VmRSS:") / 1024.0;

    /// <summary>Threads of process <paramref name="pid"/>.</summary>
    public static int Threads(int pid) => (int)StatusField(pid, "Threads:");

    private static long StatusField(int pid, string name)
    {
        foreach (var line in File.ReadLines($"/proc/{pid}/status"))
        {
            if (line.StartsWith(name, StringComparison.Ordinal))
            {
                return long.Parse(line[name.Length..].Trim().Split(' ')[0], CultureInfo.InvariantCulture);
            }
        }

        throw new InvalidOperationException($"/proc/{pid}/status has no {name}");
    }
}
