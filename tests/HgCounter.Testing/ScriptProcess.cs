using System.Diagnostics;

namespace HgCounter.Testing;

/// <summary>
/// A helper script (rtsp_server.py, stall_server.py) run under /usr/bin/python3 that prints one <c>READY ...</c> line
/// when it listens. Owns the process; dispose kills it. Stdin is a pipe, so the script also exits when we do.
/// </summary>
public sealed class ScriptProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StringWriterTail _stderr = new();

    private ScriptProcess(Process process, string readyLine)
    {
        _process = process;
        ReadyLine = readyLine;
    }

    /// <summary>The text after <c>READY </c>: a URL or a port.</summary>
    public string ReadyLine { get; }

    /// <summary>The script's process id.</summary>
    public int Id => _process.Id;

    /// <summary>Whether the script has exited.</summary>
    public bool HasExited => _process.HasExited;

    /// <summary>Starts <paramref name="script"/> (a file next to this assembly) and waits at most <paramref name="timeout"/> for READY.</summary>
    public static async Task<ScriptProcess> StartAsync(string script, IEnumerable<string> arguments, TimeSpan timeout)
    {
        var info = new ProcessStartInfo("/usr/bin/python3")
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        info.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, script));
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        var process = Process.Start(info) ?? throw new InvalidOperationException("python3 did not start");
        var stderr = new StringWriterTail();
        process.ErrorDataReceived += (_, e) => stderr.Add(e.Data);
        process.BeginErrorReadLine();
        using var cts = new CancellationTokenSource(timeout);
        try
        {
            var line = await process.StandardOutput.ReadLineAsync(cts.Token);
            if (line is null || !line.StartsWith("READY ", StringComparison.Ordinal))
            {
                throw new InvalidOperationException($"{script} did not get ready: '{line}'. stderr: {stderr}");
            }

            return new ScriptProcess(process, line["READY ".Length..].Trim());
        }
        catch
        {
            process.Kill(entireProcessTree: true);
            process.Dispose();
            throw;
        }
    }

    /// <summary>Kills the script and waits (bounded) for it to exit.</summary>
    public async ValueTask DisposeAsync()
    {
        try
        {
            _process.Kill(entireProcessTree: true);
            using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            await _process.WaitForExitAsync(cts.Token);
        }
        catch (InvalidOperationException)
        {
            // Already gone.
        }

        // Process.Dispose leaves redirected pipes to the finalizer; close ours so restarts do not pile up descriptors.
        _process.StandardInput.Dispose();
        _process.StandardOutput.Dispose();
        _process.Dispose();
    }

    /// <inheritdoc />
    public override string ToString() => $"{ReadyLine} (pid {Id}) {_stderr}";
}
