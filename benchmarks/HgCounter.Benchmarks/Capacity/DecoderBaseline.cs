using System.Diagnostics;
using System.Globalization;

namespace HgCounter.Benchmarks.Capacity;

/// <summary>
/// The cheapest way to get a camera's frames at the target rate, the yardstick of the agent's decode path:
/// <c>ffmpeg -rtsp_transport tcp -i URL -vf fps=N -f rawvideo -pix_fmt bgr24 - &gt; /dev/null</c>, run through
/// <c>sh -c 'exec …'</c> so the process whose CPU /proc reports is ffmpeg itself. <c>-progress pipe:2</c> counts the
/// frames it put out.
/// </summary>
public sealed class DecoderBaseline : IDisposable
{
    private readonly Process _process;
    private readonly Queue<string> _errors = new();
    private long _frames;

    private DecoderBaseline(Process process)
    {
        _process = process;
        _process.ErrorDataReceived += (_, e) => Read(e.Data);
        _process.BeginErrorReadLine();
    }

    public long Frames => Interlocked.Read(ref _frames);

    public double CpuSeconds => ProcessTreeSample.ProcessCpuSeconds(_process.Id);

    public static string CommandFor(string url, double fps) =>
        $"ffmpeg -nostdin -v error -progress pipe:2 -rtsp_transport tcp -i '{url}' -vf fps={fps.ToString("0.###", CultureInfo.InvariantCulture)} -f rawvideo -pix_fmt bgr24 - > /dev/null";

    public static DecoderBaseline Start(string url, double fps)
    {
        var info = new ProcessStartInfo("/bin/sh") { UseShellExecute = false, RedirectStandardError = true };
        info.ArgumentList.Add("-c");
        info.ArgumentList.Add("exec " + CommandFor(url, fps));
        return new DecoderBaseline(Process.Start(info)!);
    }

    /// <summary>Fails with ffmpeg's last words when it has stopped: a window without a decoder measures nothing.</summary>
    public void EnsureRunning()
    {
        if (_process.HasExited)
        {
            lock (_errors)
            {
                throw new InvalidOperationException($"ffmpeg exited with {_process.ExitCode}: {string.Join(" | ", _errors)}");
            }
        }
    }

    public void Dispose()
    {
        if (!_process.HasExited)
        {
            _process.Kill();
        }

        // Waited for, so its CPU time moves into this process's cutime before the agent's window starts.
        _process.WaitForExit(TimeSpan.FromSeconds(10));
        _process.Dispose();
    }

    private void Read(string? line)
    {
        if (line is null)
        {
            return;
        }

        if (line.StartsWith("frame=", StringComparison.Ordinal))
        {
            if (long.TryParse(line.AsSpan(6), NumberStyles.None, CultureInfo.InvariantCulture, out var frames))
            {
                Interlocked.Exchange(ref _frames, frames);
            }
        }
        else if (!line.Contains('=', StringComparison.Ordinal))
        {
            lock (_errors)
            {
                _errors.Enqueue(line);
                if (_errors.Count > 5)
                {
                    _errors.Dequeue();
                }
            }
        }
    }
}
