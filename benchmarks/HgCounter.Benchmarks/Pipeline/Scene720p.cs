using System.Diagnostics;
using System.Globalization;
using HgCounter.Configuration;
using HgCounter.Frames;
using HgCounter.Rtsp.Synthetic;

namespace HgCounter.Benchmarks.Pipeline;

/// <summary>
/// The library's <c>demo</c> scene (people and cars through a door, textured floor) scaled to 1280×720, and an H.264
/// clip rendered from it with ffmpeg, shared by the pipeline benchmarks and the capacity run.
/// </summary>
public static class Scene720p
{
    public const int Width = 1280;
    public const int Height = 720;
    private const int Scale = Width / SyntheticScenes.Width;

    public static SyntheticScene Create()
    {
        var demo = SyntheticScenes.Get("demo");
        var objects = demo.Objects
            .Select(o => new SyntheticObject(o.Kind, [.. o.Keyframes.Select(k => k with { X = k.X * Scale, Y = k.Y * Scale })], o.Gaps, o.Jitter * Scale))
            .ToArray();
        return new SyntheticScene("demo-720p", Width, Height, demo.FramesPerSecond, demo.FrameCount, objects, [Door()], texture: true, seed: demo.Seed);
    }

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
        var info = new ProcessStartInfo("ffmpeg") { UseShellExecute = false, RedirectStandardInput = true, RedirectStandardError = true };
        foreach (var argument in (string[])["-nostdin", "-v", "error", "-y", "-f", "rawvideo", "-pix_fmt", "bgr24", "-s", $"{Width}x{Height}",
            "-r", scene.FramesPerSecond.ToString(CultureInfo.InvariantCulture), "-i", "pipe:0",
            "-c:v", "libx264", "-preset", "veryfast", "-g", "10", "-pix_fmt", "yuv420p", partial])
        {
            info.ArgumentList.Add(argument);
        }

        using var process = Process.Start(info)!;
        var error = process.StandardError.ReadToEndAsync();
        using var frame = Frame.CreateUnpooled(Width, Height);
        using (var stdin = process.StandardInput.BaseStream)
        {
            for (var i = first; i < first + count; i++)
            {
                scene.Render(i % scene.FrameCount, frame);
                stdin.Write(frame.Pixels);
            }
        }

        if (!process.WaitForExit(TimeSpan.FromMinutes(5)) || process.ExitCode != 0)
        {
            throw new InvalidOperationException("ffmpeg could not encode the clip: " + error.GetAwaiter().GetResult());
        }

        File.Move(partial, path, overwrite: true);
        return path;
    }
}
