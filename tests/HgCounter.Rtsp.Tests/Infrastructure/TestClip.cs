using System.Diagnostics;
using System.Globalization;

namespace HgCounter.Rtsp.Tests.Infrastructure;

/// <summary>Short H.264 clips made with ffmpeg's testsrc2 in a temp directory, shared by a test class.</summary>
public sealed class TestClip : IDisposable
{
    public const int Width = 320;
    public const int Height = 240;
    public const int Fps = 25;
    public const int FrameCount = 50;

    public TestClip()
    {
        Directory = HgCounter.Testing.TestPaths.NewTempDirectory("hgcounter-clip");
        Path = System.IO.Path.Combine(Directory, "clip.mp4");
        Encode(Width, Height, FrameCount, Path);

        // Two MPEG-TS segments of different sizes, concatenated: a camera whose resolution changes mid-stream.
        var large = System.IO.Path.Combine(Directory, "a.ts");
        var small = System.IO.Path.Combine(Directory, "b.ts");
        Encode(Width, Height, 20, large);
        Encode(Width / 2, Height / 2, 20, small);
        SizeChangeClip = System.IO.Path.Combine(Directory, "size-change.ts");
        using (var output = File.Create(SizeChangeClip))
        {
            foreach (var part in new[] { large, small })
            {
                using var input = File.OpenRead(part);
                input.CopyTo(output);
            }
        }

        TextFileAsVideo = System.IO.Path.Combine(Directory, "notes.mp4");
        File.WriteAllText(TextFileAsVideo, "this is a text file, not a video\n");
    }

    public string Directory { get; }

    /// <summary>An MPEG-TS stream that switches from 320x240 to 160x120 after 20 frames.</summary>
    public string SizeChangeClip { get; }

    /// <summary>A 320x240, 25 fps, 50-frame H.264 MP4.</summary>
    public string Path { get; }

    /// <summary>A text file named .mp4.</summary>
    public string TextFileAsVideo { get; }

    /// <summary>Encodes <paramref name="frames"/> frames of ffmpeg's testsrc2 (every frame differs) at <paramref name="fps"/> to an H.264 file.</summary>
    internal static void Encode(int width, int height, int frames, string path, int fps = Fps)
    {
        var info = new ProcessStartInfo("ffmpeg") { RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in new[] { "-nostdin", "-v", "error", "-f", "lavfi", "-i", string.Create(CultureInfo.InvariantCulture, $"testsrc2=size={width}x{height}:rate={fps}"), "-frames:v", frames.ToString(CultureInfo.InvariantCulture), "-c:v", "libx264", "-pix_fmt", "yuv420p", path })
        {
            info.ArgumentList.Add(a);
        }

        using var process = Process.Start(info)!;
        var error = process.StandardError.ReadToEnd();
        if (!process.WaitForExit(60_000) || process.ExitCode != 0)
        {
            throw new InvalidOperationException("ffmpeg could not make a test clip: " + error);
        }
    }

    public void Dispose() => System.IO.Directory.Delete(Directory, recursive: true);
}
