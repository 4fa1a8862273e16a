using System.Diagnostics;
using System.Globalization;

namespace HgCounter.Testing;

/// <summary>
/// SIGSTOP and SIGCONT for a process the test owns (through <c>kill</c>, bounded): a stopped process keeps its sockets
/// and pipes open and sends nothing, like a camera or decoder that hangs without closing.
/// </summary>
public static class ProcessSignals
{
    /// <summary>Freezes process <paramref name="pid"/> (SIGSTOP).</summary>
    public static Task StopAsync(int pid) => SendAsync("-STOP", pid);

    /// <summary>Lets process <paramref name="pid"/> run again (SIGCONT).</summary>
    public static Task ContinueAsync(int pid) => SendAsync("-CONT", pid);

    /// <summary>Asks process <paramref name="pid"/> to stop (SIGTERM).</summary>
    public static Task TerminateAsync(int pid) => SendAsync("-TERM", pid);

    private static async Task SendAsync(string signal, int pid)
    {
        using var kill = Process.Start("kill", [signal, pid.ToString(CultureInfo.InvariantCulture)]);
        using var bound = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        await kill.WaitForExitAsync(bound.Token);
        if (kill.ExitCode != 0)
        {
            throw new InvalidOperationException($"kill {signal} {pid} exited with {kill.ExitCode}");
        }
    }
}
