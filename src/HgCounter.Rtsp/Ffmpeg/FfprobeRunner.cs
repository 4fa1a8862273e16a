using System.Globalization;
using HgCounter.Frames;
using HgCounter.Rtsp.Sources;
using HgCounter.Security;

namespace HgCounter.Rtsp.Ffmpeg;

/// <summary>Runs ffprobe against a location within a hard time bound (the process is killed at the bound).</summary>
internal static class FfprobeRunner
{
    public static async Task<ProbeResult> ProbeAsync(SourceLocation location, FrameSourceOptions options, TimeSpan bound, TimeProvider timeProvider, CancellationToken cancellationToken)
    {
        // A live stream probed just as its encoder starts may not have shown a picture size yet (no key frame within
        // ffprobe's analysis window): ask once more within what is left of the bound before calling it "not video".
        var started = timeProvider.GetTimestamp();
        var result = await ProbeOnceAsync(location, options, bound, timeProvider, cancellationToken).ConfigureAwait(false);
        var left = bound - timeProvider.GetElapsedTime(started);
        if (result is null && location.Kind == SourceKind.Network && left > TimeSpan.FromSeconds(1))
        {
            result = await ProbeOnceAsync(location, options, left, timeProvider, cancellationToken).ConfigureAwait(false);
        }

        return result ?? throw new FrameSourceException(FrameSourceErrorKind.NotVideo, location.DisplayName, "no video stream found.");
    }

    private static async Task<ProbeResult?> ProbeOnceAsync(SourceLocation location, FrameSourceOptions options, TimeSpan bound, TimeProvider timeProvider, CancellationToken cancellationToken)
    {
        var stdoutLines = new List<string>();
        var tail = new StderrTail(options.StderrLines, Redactor.SecretsOf(location.Value));
        var process = ChildProcess.Start(options.ResolveFfprobePath(), FfmpegArguments.Probe(location, options), tail, location.DisplayName, timeProvider);
        await using (process.ConfigureAwait(false))
        {
            using var reader = new StreamReader(process.StandardOutput);
            var readAll = ReadLinesAsync(reader, stdoutLines);
            var exited = await process.WaitForExitAsync(bound, cancellationToken).ConfigureAwait(false);
            if (!exited)
            {
                throw new FrameSourceException(FrameSourceErrorKind.Timeout, location.DisplayName, $"no answer within {bound.TotalSeconds:0.###} s.{tail.Describe()}");
            }

            await readAll.WaitAsync(TimeSpan.FromSeconds(2), timeProvider, cancellationToken).ConfigureAwait(false);
            var stderr = tail.Relevant;
            if (process.ExitCode != 0)
            {
                var kind = FfmpegErrorClassifier.Classify(stderr, FrameSourceErrorKind.Unknown);
                throw new FrameSourceException(kind, location.DisplayName, $"ffprobe failed (exit {process.ExitCode}).{tail.Describe()}");
            }

            return Parse(stdoutLines);
        }
    }

    internal static ProbeResult? Parse(IReadOnlyList<string> lines)
    {
        int width = 0, height = 0;
        double fps = 0, rFps = 0;
        string? codec = null;
        foreach (var line in lines)
        {
            var eq = line.IndexOf('=', StringComparison.Ordinal);
            if (eq <= 0)
            {
                continue;
            }

            var key = line[..eq];
            var value = line[(eq + 1)..].Trim();
            switch (key)
            {
                case "codec_name": codec = value; break;
                case "width": _ = int.TryParse(value, CultureInfo.InvariantCulture, out width); break;
                case "height": _ = int.TryParse(value, CultureInfo.InvariantCulture, out height); break;
                case "avg_frame_rate": fps = ParseRate(value); break;
                case "r_frame_rate": rFps = ParseRate(value); break;
                default: break;
            }
        }

        return width > 0 && height > 0 ? new ProbeResult(width, height, fps > 0 ? fps : rFps, codec) : null;
    }

    private static double ParseRate(string value)
    {
        var slash = value.IndexOf('/', StringComparison.Ordinal);
        if (slash < 0)
        {
            return double.TryParse(value, CultureInfo.InvariantCulture, out var plain) ? plain : 0;
        }

        return double.TryParse(value.AsSpan(0, slash), CultureInfo.InvariantCulture, out var num)
            && double.TryParse(value.AsSpan(slash + 1), CultureInfo.InvariantCulture, out var den) && den > 0 ? num / den : 0;
    }

    private static async Task ReadLinesAsync(StreamReader reader, List<string> lines)
    {
        try
        {
            while (await reader.ReadLineAsync().ConfigureAwait(false) is { } line)
            {
                lines.Add(line);
            }
        }
        catch (Exception ex) when (ex is IOException or ObjectDisposedException)
        {
            // Killed at the bound.
        }
    }
}
