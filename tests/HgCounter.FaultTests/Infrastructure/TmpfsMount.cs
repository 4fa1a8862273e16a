using System.Diagnostics;

namespace HgCounter.FaultTests.Infrastructure;

/// <summary>A small tmpfs mounted for one test (a full or read-only disk); unmounted on dispose. Needs root, as CI runs.</summary>
internal sealed class TmpfsMount : IAsyncDisposable
{
    private readonly string _path;

    private TmpfsMount(string path) => _path = path;

    public static async Task<TmpfsMount> MountAsync(string path, string options)
    {
        await RunAsync("mount", "-t", "tmpfs", "-o", options, "tmpfs", path);
        return new TmpfsMount(path);
    }

    public async ValueTask DisposeAsync() => await RunAsync("umount", "-l", _path);

    private static async Task RunAsync(string command, params string[] arguments)
    {
        var info = new ProcessStartInfo(command) { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false };
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        using var process = Process.Start(info)!;
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        await process.WaitForExitAsync(timeout.Token);
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{command} {string.Join(' ', arguments)} failed ({process.ExitCode}): {await process.StandardError.ReadToEndAsync()}");
        }
    }
}
