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
        var info = new ProcessStartInfo("ffmpeg") { RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in new[] { "-nostdin", "-v", "error", "-f", "lavfi", "-i", string.Create(CultureInfo.InvariantCulture, $"testsrc2=size={Width}x{Height}:rate={Fps}"), "-frames:v", FrameCount.ToString(CultureInfo.InvariantCulture), "-c:v", "libx264", "-pix_fmt", "yuv420p", Path })
        {
            info.ArgumentList.Add(a);
        }

        using var process = Process.Start(info)!;
        var error = process.StandardError.ReadToEnd();
        if (!process.WaitForExit(60_000) || process.ExitCode != 0)
        {
            throw new InvalidOperationException("ffmpeg could not make the test clip: " + error);
        }

        TextFileAsVideo = System.IO.Path.Combine(Directory, "notes.mp4");
        File.WriteAllText(TextFileAsVideo, "this is a text file, not a video\n");
    }

    public string Directory { get; }

    /// <summary>A 320x240, 25 fps, 50-frame H.264 MP4.</summary>
    public string Path { get; }

    /// <summary>A text file named .mp4.</summary>
    public string TextFileAsVideo { get; }

    public void Dispose() => System.IO.Directory.Delete(Directory, recursive: true);
}
