namespace HgCounter.Rtsp.Tests.Infrastructure;

/// <summary>H.264 clips at several rates and sizes (testsrc2: every frame differs) for the decoder's rate and size filters.</summary>
public sealed class DecoderClips : IDisposable
{
    public DecoderClips()
    {
        Directory = HgCounter.Testing.TestPaths.NewTempDirectory("hgcounter-decoder");
        Fps30 = Make("30fps.mp4", 320, 240, 30, 90);
        Fps25 = Make("25fps.mp4", 320, 240, 25, 75);
        Fps5 = Make("5fps.mp4", 320, 240, 5, 30);
        Hd = Make("720p.mp4", 1280, 720, 10, 20);
    }

    public string Directory { get; }

    /// <summary>320x240, 30 fps, 90 frames (3 s).</summary>
    public string Fps30 { get; }

    /// <summary>320x240, 25 fps, 75 frames (3 s).</summary>
    public string Fps25 { get; }

    /// <summary>320x240, 5 fps, 30 frames (6 s).</summary>
    public string Fps5 { get; }

    /// <summary>1280x720, 10 fps, 20 frames.</summary>
    public string Hd { get; }

    public void Dispose() => System.IO.Directory.Delete(Directory, recursive: true);

    private string Make(string name, int width, int height, int fps, int frames)
    {
        var path = Path.Combine(Directory, name);
        TestClip.Encode(width, height, frames, path, fps);
        return path;
    }
}
