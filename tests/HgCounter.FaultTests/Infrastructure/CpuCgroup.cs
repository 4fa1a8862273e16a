using System.Diagnostics;

namespace HgCounter.FaultTests.Infrastructure;

/// <summary>
/// A cgroup v2 group of its own, beside the test process's, for a sample process and a CPU hog. A process started in a
/// cgroup namespace rooted here (<see cref="HgCounter.Samples.Tests.SampleProcess.StartInCgroup"/>) sees this group as its
/// container and reads the group's CPU (cgroup v2 <c>cpu.stat</c>): its own work plus the hog's, not the rest of a shared
/// machine. Needs root and the cgroup v2 hierarchy (pure v2, or the <c>unified</c> one of a hybrid host). Dispose kills
/// whatever is left in the group and removes it.
/// </summary>
internal sealed class CpuCgroup : IAsyncDisposable
{
    private CpuCgroup(string directory) => Directory = directory;

    /// <summary>The group's directory in the cgroup v2 file system.</summary>
    public string Directory { get; }

    public static CpuCgroup Create()
    {
        var root = File.Exists("/sys/fs/cgroup/cgroup.controllers") ? "/sys/fs/cgroup"
            : File.Exists("/sys/fs/cgroup/unified/cgroup.controllers") ? "/sys/fs/cgroup/unified"
            : throw new InvalidOperationException("No cgroup v2 hierarchy at /sys/fs/cgroup or /sys/fs/cgroup/unified: this test needs cgroup v2 (any systemd host has it).");
        var own = File.ReadLines("/proc/self/cgroup").FirstOrDefault(l => l.StartsWith("0::", StringComparison.Ordinal))?[3..].Trim().TrimStart('/') ?? string.Empty;
        var directory = Path.Combine(root, own, $"hgcounter-cpu-{Guid.NewGuid():N}");
        System.IO.Directory.CreateDirectory(directory);
        return new CpuCgroup(directory);
    }

    /// <summary>Process ids in the group now.</summary>
    public IReadOnlyList<string> Processes() =>
        [.. File.ReadAllLines(Path.Combine(Directory, "cgroup.procs")).Where(l => l.Length > 0)];

    public async ValueTask DisposeAsync()
    {
        var kill = Path.Combine(Directory, "cgroup.kill");
        if (File.Exists(kill))
        {
            await File.WriteAllTextAsync(kill, "1");
        }

        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < TimeSpan.FromSeconds(10))
        {
            try
            {
                if (Processes().Count == 0)
                {
                    System.IO.Directory.Delete(Directory); // rmdir: a cgroup's files go with it
                    return;
                }
            }
            catch (IOException)
            {
                // Exiting processes still count for a moment.
            }

            await Task.Delay(100);
        }
    }
}
