using System.Globalization;
using HgCounter.Runtime;
using HgCounter.Snapshots;

namespace HgCounter.ConsoleSample;

/// <summary>Writes camera snapshots (lines, zones and tracks drawn) to JPEG files and remembers the last one written.</summary>
internal sealed class SnapshotFiles(ICounterAgent agent, IReadOnlyList<string> cameras)
{
    /// <summary>How long <c>--snapshot</c> waits for the camera's first processed frame.</summary>
    public static readonly TimeSpan FirstFrameTimeout = TimeSpan.FromSeconds(60);

    private volatile string? _last;

    /// <summary>The last file written and when, for the live table; null before the first.</summary>
    public string? Last => _last;

    /// <summary>Waits up to <paramref name="timeout"/> for the camera's frame and writes it to <paramref name="path"/> (written whole, then renamed).</summary>
    public async Task<CameraSnapshot> WriteAsync(string camera, string path, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var snapshot = await agent.GetSnapshotAsync(camera, new SnapshotOptions { Timeout = timeout }, cancellationToken);
        var full = Path.GetFullPath(path);
        Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        var partial = full + ".part";
        await File.WriteAllBytesAsync(partial, snapshot.Jpeg, cancellationToken);
        File.Move(partial, full, overwrite: true);
        _last = string.Create(CultureInfo.InvariantCulture, $"{full} ({snapshot.CapturedAt.ToLocalTime():HH:mm:ss})");
        return snapshot;
    }

    /// <summary><c>--snapshot CAMERA PATH</c>: one picture, then exit (0 written, 1 no frame in time, 2 no such camera).</summary>
    public async Task<int> WriteOnceAsync(string camera, string path, TimeSpan timeout, CancellationToken cancellationToken)
    {
        try
        {
            var snapshot = await WriteAsync(camera, path, timeout, cancellationToken);
            Console.WriteLine($"Snapshot of {camera} ({snapshot.Width}x{snapshot.Height}, lines and tracks drawn) written to {Path.GetFullPath(path)}.");
            return 0;
        }
        catch (CameraNotFoundException ex)
        {
            var known = string.Join(", ", cameras);
            await Console.Error.WriteLineAsync($"{ex.Message} Configured: {(known.Length == 0 ? "none" : known)}.");
            return 2;
        }
        catch (SnapshotUnavailableException ex)
        {
            var error = agent.CurrentStatus.Cameras.FirstOrDefault(c => c.Name == camera)?.Health.LastError;
            await Console.Error.WriteLineAsync($"No snapshot within {timeout.TotalSeconds:0} s. {ex.Message}{(error is null ? string.Empty : " Last error: " + error)}");
            return 1;
        }
    }

    /// <summary><c>--snapshot-every</c>: every camera's picture to <c>DIR/CAMERA.jpg</c>, until stopped; a camera without a frame is skipped.</summary>
    public async Task RunAsync(TimeSpan every, string directory, TimeProvider time, CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(every, time);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                foreach (var camera in cameras)
                {
                    try
                    {
                        await WriteAsync(camera, Path.Combine(directory, camera + ".jpg"), TimeSpan.FromSeconds(2), stoppingToken);
                    }
                    catch (Exception ex) when (ex is SnapshotUnavailableException or IOException or UnauthorizedAccessException)
                    {
                        // Next tick: a camera still connecting, or a full disk, must not end the run.
                    }
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
    }
}
