using System.Globalization;
using HgCounter.Configuration;
using HgCounter.Rtsp.Synthetic;
using HgCounter.Testing;

namespace HgCounter.Benchmarks.Pipeline;

/// <summary>
/// The library's <c>demo</c> scene (people and cars through a door, textured floor) scaled to 1280×720, and an H.264
/// clip rendered from it with ffmpeg, shared by the pipeline benchmarks and the capacity run.
/// </summary>
internal static class Scene720p
{
    public const int Width = 1280;
    public const int Height = 720;
    private const int Scale = Width / SyntheticScenes.Width;

    public static SyntheticScene Create() => SyntheticScenes.Get("demo").Scaled(Scale);

    /// <summary>The door line at 720p: (640, 0) to (640, 720); left to right is In.</summary>
    public static LineOptions Door() => new() { Name = "door", Start = [Width / 2, 0], End = [Width / 2, Height] };

    /// <summary>Renders frames [first, first + count) of the scene to an H.264 file (cached by name in the temp folder).</summary>
    public static string RenderClip(int first, int count)
    {
        var path = Path.Combine(Path.GetTempPath(), $"hgcounter-demo-720p-{first}-{count}.mp4");
        if (File.Exists(path))
        {
            return path;
        }

        var partial = path + "." + Environment.ProcessId.ToString(CultureInfo.InvariantCulture) + ".mp4";
        var scene = Create();
        RawVideoEncoder.Encode(partial, Width, Height, scene.FramesPerSecond, count, (i, frame) => scene.Render((first + i) % scene.FrameCount, frame));
        File.Move(partial, path, overwrite: true);
        return path;
    }
}
