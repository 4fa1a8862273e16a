using System.Diagnostics;

namespace HgCounter.Testing;

/// <summary>Runs a command-line tool to completion for a fixture (initdb, mosquitto_passwd, openssl…), within a time bound.</summary>
public static class BoundedCommand
{
    /// <summary>
    /// Runs <paramref name="fileName"/> with <paramref name="arguments"/>; kills it (and its children) when
    /// <paramref name="bound"/> passes or <paramref name="cancellationToken"/> is cancelled. A non-zero exit throws with
    /// <paramref name="description"/> and the tool's output.
    /// </summary>
    public static async Task RunAsync(string fileName, IReadOnlyList<string> arguments, string description, TimeSpan bound, CancellationToken cancellationToken)
    {
        var start = new ProcessStartInfo(fileName) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException($"{fileName} did not start.");
        var stdout = process.StandardOutput.ReadToEndAsync(CancellationToken.None);
        var stderr = process.StandardError.ReadToEndAsync(CancellationToken.None);
        using var bounded = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        bounded.CancelAfter(bound);
        try
        {
            await process.WaitForExitAsync(bounded.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw;
        }

        var output = await stdout + await stderr;
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{description} exited with {process.ExitCode}: {output}");
        }
    }
}
