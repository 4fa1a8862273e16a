using System.Diagnostics;
using System.Globalization;

namespace HgCounter.Benchmarks.Capacity;

/// <summary>Size and frame rate of a recording's first video stream, read with ffprobe.</summary>
public sealed record VideoClip(string Path, int Width, int Height, double Fps)
{
    public string Name => System.IO.Path.GetFileName(Path);

    public static VideoClip Probe(string path)
    {
        if (!File.Exists(path))
        {
            throw new ArgumentException($"clip not found: {path}");
        }

        var info = new ProcessStartInfo("ffprobe") { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in (string[])["-v", "error", "-select_streams", "v:0", "-show_entries", "stream=width,height,avg_frame_rate", "-of", "csv=p=0", path])
        {
            info.ArgumentList.Add(argument);
        }

        using var process = Process.Start(info)!;
        var error = process.StandardError.ReadToEndAsync();
        var fields = process.StandardOutput.ReadToEnd().Trim().Split(',');
        process.WaitForExit();
        if (process.ExitCode != 0 || fields.Length < 3)
        {
            throw new ArgumentException($"ffprobe cannot read a video stream from {path}: {error.GetAwaiter().GetResult()}");
        }

        var rate = fields[2].Split('/');
        var fps = rate.Length == 2 && double.Parse(rate[1], CultureInfo.InvariantCulture) > 0
            ? double.Parse(rate[0], CultureInfo.InvariantCulture) / double.Parse(rate[1], CultureInfo.InvariantCulture)
            : double.NaN;
        return new VideoClip(path, int.Parse(fields[0], CultureInfo.InvariantCulture), int.Parse(fields[1], CultureInfo.InvariantCulture), fps);
    }

    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{Name} {Width}x{Height} {Fps:0.##} fps");
}
