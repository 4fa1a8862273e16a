using System.ComponentModel;
using System.Diagnostics;
using HgCounter.Frames;

namespace HgCounter.Rtsp.Ffmpeg;

/// <summary>
/// One ffmpeg/ffprobe child process: the single owner of its <see cref="Process"/>. Drains stderr into a
/// <see cref="StderrTail"/> and kills the whole process tree, with a bounded wait, on dispose.
/// </summary>
internal sealed class ChildProcess : IAsyncDisposable
{
    private static readonly TimeSpan ExitBound = TimeSpan.FromSeconds(5);
    private readonly Process _process;
    private readonly TimeProvider _timeProvider;
    private int _disposed;

    private ChildProcess(Process process, StderrTail stderr, TimeProvider timeProvider)
    {
        _process = process;
        _timeProvider = timeProvider;
        Stderr = stderr;
        StderrDrained = DrainStderrAsync(process.StandardError, stderr);
    }

    /// <summary>The redacted stderr tail.</summary>
    public StderrTail Stderr { get; }

    /// <summary>Completes when stderr reached its end (the process exited or closed it).</summary>
    public Task StderrDrained { get; }

    /// <summary>The child's stdout.</summary>
    public Stream StandardOutput => _process.StandardOutput.BaseStream;

    /// <summary>The child's process id.</summary>
    public int Id => _process.Id;

    /// <summary>Starts <paramref name="fileName"/>; a missing or unstartable binary is <see cref="FrameSourceErrorKind.DecoderNotFound"/>.</summary>
    public static ChildProcess Start(string fileName, IEnumerable<string> arguments, StderrTail stderr, string displayName, TimeProvider timeProvider)
    {
        var info = new ProcessStartInfo(fileName)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            CreateNoWindow = true,
        };
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        var process = new Process { StartInfo = info };
        try
        {
            process.Start();
        }
        catch (Exception ex) when (ex is Win32Exception or FileNotFoundException or InvalidOperationException)
        {
            process.Dispose();
            throw new FrameSourceException(FrameSourceErrorKind.DecoderNotFound, displayName, $"cannot start '{fileName}': {ex.Message}. Install ffmpeg (apt install ffmpeg) or set FfmpegPath/FfprobePath.", ex);
        }

        // ffmpeg never reads stdin (-nostdin); closing it stops a child that does from waiting on us.
        process.StandardInput.Close();
        return new ChildProcess(process, stderr, timeProvider);
    }

    /// <summary>Waits for the process to exit, at most <paramref name="bound"/>; true when it exited.</summary>
    public async Task<bool> WaitForExitAsync(TimeSpan bound, CancellationToken cancellationToken)
    {
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        cts.CancelAfter(bound);
        try
        {
            await _process.WaitForExitAsync(cts.Token).ConfigureAwait(false);
            // Drain the rest of stderr so the tail holds the final error line.
            await StderrDrained.WaitAsync(TimeSpan.FromSeconds(1), _timeProvider, CancellationToken.None).ConfigureAwait(false);
            return true;
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return _process.HasExited;
        }
        catch (TimeoutException)
        {
            return true;
        }
    }

    /// <summary>Exit code, or null while running.</summary>
    public int? ExitCode
    {
        get
        {
            try
            {
                return _process.HasExited ? _process.ExitCode : null;
            }
            catch (InvalidOperationException)
            {
                return null;
            }
        }
    }

    /// <summary>Kills the process tree (if running) and waits, bounded, for it to exit.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            return;
        }

        Kill();
        await WaitForExitAsync(ExitBound, CancellationToken.None).ConfigureAwait(false);
        // Process.Dispose leaves redirected pipes to the finalizer: without this every ffmpeg run would keep two
        // descriptors open until a GC, and a steady-state counter that allocates nothing rarely collects.
        CloseQuietly(_process.StandardOutput);
        CloseQuietly(_process.StandardError);
        _process.Dispose();
    }

    private static void CloseQuietly(StreamReader reader)
    {
        try
        {
            reader.Dispose();
        }
        catch (Exception ex) when (ex is IOException or InvalidOperationException)
        {
            // A reader still busy after the exit bound: its pipe is closed by the finalizer instead.
        }
    }

    /// <summary>Kills the process tree now; safe to call from any thread, any number of times.</summary>
    public void Kill()
    {
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
            }
        }
        catch (Exception ex) when (ex is InvalidOperationException or Win32Exception or NotSupportedException)
        {
            // Already exited or being reaped: nothing left to kill.
        }
    }

    private static async Task DrainStderrAsync(StreamReader reader, StderrTail tail)
    {
        try
        {
            while (await reader.ReadLineAsync().ConfigureAwait(false) is { } line)
            {
                tail.Add(line);
            }
        }
        catch (Exception ex) when (ex is IOException or ObjectDisposedException)
        {
            // The process was killed and its pipe closed.
        }
    }
}
