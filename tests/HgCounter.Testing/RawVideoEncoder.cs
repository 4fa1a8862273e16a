using System.Diagnostics;
using System.Globalization;
using HgCounter.Frames;

namespace HgCounter.Testing;

/// <summary>Encodes generated bgr24 frames to an H.264 file with ffmpeg reading them from stdin (scenes rendered to clips).</summary>
public static class RawVideoEncoder
{
    /// <summary>
    /// Writes <paramref name="count"/> frames, each drawn by <paramref name="render"/> (frame index, frame to fill), to
    /// <paramref name="path"/> as H.264 (yuv420p, a key frame every <paramref name="keyframeInterval"/> frames, <paramref name="crf"/> quality).
    /// </summary>
    public static void Encode(string path, int width, int height, double fps, int count, Action<int, Frame> render, int keyframeInterval = 10, int crf = 23)
    {
        ArgumentNullException.ThrowIfNull(render);
        var info = new ProcessStartInfo("ffmpeg") { UseShellExecute = false, RedirectStandardInput = true, RedirectStandardError = true };
        foreach (var argument in (string[])["-nostdin", "-v", "error", "-y", "-f", "rawvideo", "-pix_fmt", "bgr24", "-s", $"{width}x{height}",
            "-r", fps.ToString(CultureInfo.InvariantCulture), "-i", "pipe:0",
            "-c:v", "libx264", "-preset", "veryfast", "-crf", crf.ToString(CultureInfo.InvariantCulture),
            "-g", keyframeInterval.ToString(CultureInfo.InvariantCulture), "-pix_fmt", "yuv420p", path])
        {
            info.ArgumentList.Add(argument);
        }

        using var process = Process.Start(info)!;
        var error = process.StandardError.ReadToEndAsync();
        using var frame = Frame.CreateUnpooled(width, height);
        using (var stdin = process.StandardInput.BaseStream)
        {
            for (var i = 0; i < count; i++)
            {
                render(i, frame);
                stdin.Write(frame.Pixels);
            }
        }

        if (!process.WaitForExit(TimeSpan.FromMinutes(5)) || process.ExitCode != 0)
        {
            throw new InvalidOperationException("ffmpeg could not encode the clip: " + error.GetAwaiter().GetResult());
        }
    }
}
