using System.Diagnostics;
using System.Globalization;

namespace HgCounter.FaultTests.Infrastructure;

/// <summary>
/// Busy processes (<c>sha1sum /dev/zero</c>) in a cgroup, each ending by itself after a bound (<c>timeout</c>) should
/// the test die first. More processes than cores keep the group well over a CPU limit even beside other load on the
/// machine. Dispose stops them.
/// </summary>
internal sealed class CpuHog : IAsyncDisposable
{
    private readonly List<Process> _processes;

    private CpuHog(List<Process> processes) => _processes = processes;

    public static CpuHog Start(CpuCgroup cgroup, int processes, TimeSpan bound)
    {
        var started = new List<Process>();
        for (var i = 0; i < processes; i++)
        {
            // The shell joins the group first, so what it execs (timeout, then sha1sum) runs inside it.
            var info = new ProcessStartInfo("sh") { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
            foreach (var argument in new[] { "-c", "echo $$ > \"$1/cgroup.procs\" && exec timeout \"$2\" sha1sum /dev/zero", "sh", cgroup.Directory, ((int)bound.TotalSeconds).ToString(CultureInfo.InvariantCulture) })
            {
                info.ArgumentList.Add(argument);
            }

            started.Add(Process.Start(info) ?? throw new InvalidOperationException("sh did not start"));
        }

        return new CpuHog(started);
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var process in _processes)
        {
            try
            {
                process.Kill(entireProcessTree: true);
                using var bound = new CancellationTokenSource(TimeSpan.FromSeconds(10));
                await process.WaitForExitAsync(bound.Token);
            }
            catch (InvalidOperationException)
            {
                // Already gone (its bound ran out).
            }

            process.Dispose();
        }

        _processes.Clear();
    }
}
