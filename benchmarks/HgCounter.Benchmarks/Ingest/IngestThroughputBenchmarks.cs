using System.Diagnostics;
using BenchmarkDotNet.Attributes;
using HgCounter.Frames;
using HgCounter.Rtsp.Ffmpeg;
using HgCounter.Rtsp.Sources;

namespace HgCounter.Benchmarks.Ingest;

/// <summary>
/// Decoding a 720p H.264 clip to bgr24: ffmpeg writing to /dev/null (baseline, the upper bound for any ffmpeg-based
/// ingest) against <see cref="FfmpegFrameSource"/> delivering every frame as a pooled <see cref="Frame"/>
/// (probe + process start + read, Realtime: false). One operation is the whole clip; divide by <see cref="ClipFrames"/>
/// for per-frame figures. <see cref="SteadyStateRead"/> reads from a looping source opened in setup, so its
/// allocation column is the per-frame allocation after warm-up.
/// </summary>
[MemoryDiagnoser]
public class IngestThroughputBenchmarks
{
    public const int ClipFrames = 300;
    private const int SteadyFrames = 100;
    private string _directory = string.Empty;
    private string _clip = string.Empty;
    // One pool per source, as a camera would have: the looping source's frames do not compete with the whole-clip runs.
    private readonly FramePool _pool = new(8);
    private readonly FramePool _loopingPool = new(8);
    private FfmpegFrameSource? _looping;

    [GlobalSetup]
    public void Setup()
    {
        _directory = Path.Combine(Path.GetTempPath(), "hgcounter-ingest-bench-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(_directory);
        _clip = Path.Combine(_directory, "testsrc2-720p.mp4");
        Run("ffmpeg", "-nostdin", "-v", "error", "-f", "lavfi", "-i", "testsrc2=size=1280x720:rate=30", "-frames:v", ClipFrames.ToString(System.Globalization.CultureInfo.InvariantCulture), "-c:v", "libx264", "-preset", "veryfast", "-pix_fmt", "yuv420p", _clip);

        _looping = new FfmpegFrameSource(new FrameSourceOptions { CameraName = "bench", Url = _clip, Realtime = false, Loop = true }, _loopingPool);
        _looping.OpenAsync(CancellationToken.None).AsTask().GetAwaiter().GetResult();
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _looping?.DisposeAsync().AsTask().GetAwaiter().GetResult();
        Directory.Delete(_directory, recursive: true);
    }

    [Benchmark(Baseline = true, Description = "ffmpeg -f rawvideo bgr24 > /dev/null")]
    public void FfmpegToDevNull() =>
        Run("/bin/sh", "-c", $"ffmpeg -nostdin -v error -i '{_clip}' -f rawvideo -pix_fmt bgr24 - > /dev/null");

    /// <summary>Any reader of ffmpeg's stdout pays for the pipe (two copies of every frame); this shows that share of the gap.</summary>
    [Benchmark(Description = "ffmpeg -f rawvideo bgr24 | cat > /dev/null")]
    public void FfmpegThroughPipe() =>
        Run("/bin/sh", "-c", $"ffmpeg -nostdin -v error -i '{_clip}' -f rawvideo -pix_fmt bgr24 - | cat > /dev/null");

    [Benchmark(Description = "FfmpegFrameSource, whole clip")]
    public async Task<long> FfmpegFrameSourceWholeClip()
    {
        long frames = 0;
        await using var source = new FfmpegFrameSource(new FrameSourceOptions { CameraName = "bench", Url = _clip, Realtime = false }, _pool);
        await source.OpenAsync(CancellationToken.None);
        while (await source.ReadAsync(CancellationToken.None) is { } frame)
        {
            frames++;
            frame.Dispose();
        }

        return frames == ClipFrames ? frames : throw new InvalidOperationException($"read {frames} of {ClipFrames} frames");
    }

    [Benchmark(OperationsPerInvoke = SteadyFrames, Description = "FfmpegFrameSource, steady-state frame")]
    public async Task<long> SteadyStateRead()
    {
        long checksum = 0;
        for (var i = 0; i < SteadyFrames; i++)
        {
            var frame = await _looping!.ReadAsync(CancellationToken.None);
            checksum += frame!.Sequence;
            frame.Dispose();
        }

        return checksum;
    }

    private static void Run(string fileName, params string[] arguments)
    {
        var info = new ProcessStartInfo(fileName) { UseShellExecute = false, RedirectStandardError = true };
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        using var process = Process.Start(info)!;
        var error = process.StandardError.ReadToEnd();
        if (!process.WaitForExit(TimeSpan.FromMinutes(5)) || process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{fileName} failed: {error}");
        }
    }
}
