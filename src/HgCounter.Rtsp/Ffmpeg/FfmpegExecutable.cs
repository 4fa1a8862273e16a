using System.ComponentModel;
using System.Diagnostics;
using System.Diagnostics.CodeAnalysis;
using System.Globalization;

namespace HgCounter.Rtsp.Ffmpeg;

/// <summary>
/// The start-up check that a configured ffmpeg runs: <c>PATH -version</c> once, bounded, so a wrong path is one clear
/// configuration error instead of a camera that retries a missing binary forever.
/// </summary>
public static class FfmpegExecutable
{
    /// <summary>How long <c>-version</c> may take; a loaded machine still answers in well under a second.</summary>
    public static readonly TimeSpan CheckTimeout = TimeSpan.FromSeconds(15);

    /// <summary>Runs <c><paramref name="path"/> -version</c>; false with the reason when it cannot start, hangs, fails or is not ffmpeg.</summary>
    public static bool TryCheck(string path, [NotNullWhen(false)] out string? problem)
    {
        ArgumentNullException.ThrowIfNull(path);
        var info = new ProcessStartInfo(path)
        {
            ArgumentList = { "-hide_banner", "-version" },
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            CreateNoWindow = true,
        };
        using var process = new Process { StartInfo = info };
        try
        {
            process.Start();
        }
        catch (Exception ex) when (ex is Win32Exception or FileNotFoundException or InvalidOperationException)
        {
            problem = $"'{path}' cannot be started: {ex.Message}. Install ffmpeg (apt install ffmpeg) or set the full path of an ffmpeg executable.";
            return false;
        }

        process.StandardInput.Close();
        var output = process.StandardOutput.ReadToEndAsync();
        _ = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(CheckTimeout))
        {
            process.Kill(entireProcessTree: true);
            problem = string.Create(CultureInfo.InvariantCulture, $"'{path} -version' did not finish within {CheckTimeout.TotalSeconds:0} s.");
            return false;
        }

        var firstLine = output.Wait(CheckTimeout) ? output.Result.Split('\n', 2)[0].Trim() : string.Empty;
        if (process.ExitCode != 0)
        {
            problem = string.Create(CultureInfo.InvariantCulture, $"'{path} -version' exited with code {process.ExitCode}.");
            return false;
        }

        if (!firstLine.StartsWith("ffmpeg version", StringComparison.Ordinal))
        {
            problem = $"'{path}' is not ffmpeg ('-version' printed '{(firstLine.Length > 80 ? firstLine[..80] : firstLine)}').";
            return false;
        }

        problem = null;
        return true;
    }
}
