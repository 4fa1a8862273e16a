using System.Diagnostics;
using System.Globalization;
using HgCounter.Benchmarks.Pipeline;

namespace HgCounter.Benchmarks.Capacity;

/// <summary>
/// tests/HgCounter.Testing/rtsp_server.py serving a clip in a loop as one live camera (every client reads the same
/// shared stream). Its CPU is not the agent's, so the capacity run reports it apart.
/// </summary>
public sealed class RtspCameraServer : IDisposable
{
    private static readonly string Script = Path.Combine(RepoPaths.Root, "tests", "HgCounter.Testing", "rtsp_server.py");
    private readonly Process _process;

    private RtspCameraServer(Process process, string url)
    {
        _process = process;
        Url = url;
    }

    public string Url { get; }

    public int ProcessId => _process.Id;

    /// <summary>Serves <paramref name="clip"/> (any file GStreamer decodes), re-encoded to H.264, at its own rate or re-timed to <paramref name="fps"/>.</summary>
    public static async Task<RtspCameraServer> StartAsync(string clip, TimeSpan timeout, int? fps = null)
    {
        var info = new ProcessStartInfo("/usr/bin/python3") { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardInput = true };
        foreach (var argument in (string[])[Script, "--file", clip, "--loop", "--mount", "cam"])
        {
            info.ArgumentList.Add(argument);
        }

        if (fps is { } rate)
        {
            // videorate in the server's decode chain drops or repeats frames to this rate; playback stays real time.
            info.ArgumentList.Add("--fps");
            info.ArgumentList.Add(rate.ToString(CultureInfo.InvariantCulture));
        }

        var process = Process.Start(info)!;
        using var cts = new CancellationTokenSource(timeout);
        try
        {
            var line = await process.StandardOutput.ReadLineAsync(cts.Token);
            if (line is null || !line.StartsWith("READY ", StringComparison.Ordinal))
            {
                throw new InvalidOperationException($"rtsp_server.py did not start (said: '{line}').");
            }

            return new RtspCameraServer(process, line["READY ".Length..].Trim());
        }
        catch
        {
            process.Kill(entireProcessTree: true);
            process.Dispose();
            throw;
        }
    }

    public void Dispose()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            _process.WaitForExit(TimeSpan.FromSeconds(10));
        }

        _process.Dispose();
    }
}
