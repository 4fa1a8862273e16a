using System.ComponentModel.DataAnnotations;
using HgCounter.Configuration;

namespace HgCounter.Rtsp.Sources;

/// <summary>Settings of one frame source: where to read, how long each step may take, and how to decode.</summary>
public sealed class FrameSourceOptions
{
    /// <summary>Camera name stamped on every frame.</summary>
    public string CameraName { get; set; } = string.Empty;

    /// <summary>The location (URL with credentials, file path, <c>device:N</c>, <c>synthetic:NAME</c>). Never log it; log <see cref="SourceLocation.DisplayName"/>.</summary>
    [Required]
    public string Url { get; set; } = string.Empty;

    /// <summary>RTSP transport passed to ffmpeg as <c>-rtsp_transport</c>: <c>tcp</c> (default), <c>udp</c>, <c>udp_multicast</c>, <c>http</c>, <c>https</c>.</summary>
    public string RtspTransport { get; set; } = "tcp";

    /// <summary>Bound on opening (probing) the stream.</summary>
    public TimeSpan OpenTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Longest wait for the next frame before the source reports <c>Stalled</c>.</summary>
    public TimeSpan ReadTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Files: pace at the native frame rate (true) or read as fast as the consumer takes frames, dropping none (false).</summary>
    public bool Realtime { get; set; } = true;

    /// <summary>Files: start again at the end instead of finishing.</summary>
    public bool Loop { get; set; }

    /// <summary>Output width; with only one of width/height set the other keeps the aspect ratio.</summary>
    public int? Width { get; set; }

    /// <summary>Output height.</summary>
    public int? Height { get; set; }

    /// <summary>Decoder output frame rate (ffmpeg <c>fps</c> filter); null keeps the stream's rate.</summary>
    public double? TargetFps { get; set; }

    /// <summary>The ffmpeg executable: a name looked up on PATH or a full path.</summary>
    public string FfmpegPath { get; set; } = "ffmpeg";

    /// <summary>The ffprobe executable; null means the ffprobe next to <see cref="FfmpegPath"/> (or on PATH).</summary>
    public string? FfprobePath { get; set; }

    /// <summary>Which reader decodes local files.</summary>
    public FileDecoder FileDecoder { get; set; } = FileDecoder.Ffmpeg;

    /// <summary>How many of ffmpeg's last stderr lines (redacted) are kept for diagnostics.</summary>
    [Range(1, 1000)]
    public int StderrLines { get; set; } = 20;

    /// <summary>
    /// Builds the options for a camera's connection attempt <paramref name="attempt"/> (0-based): attempt 0 uses
    /// <see cref="CameraOptions.Url"/>, attempt 1 the first fallback URL, and so on, wrapping round.
    /// </summary>
    public static FrameSourceOptions FromCamera(CameraOptions camera, int attempt = 0)
    {
        ArgumentNullException.ThrowIfNull(camera);
        ArgumentOutOfRangeException.ThrowIfNegative(attempt);
        return new FrameSourceOptions
        {
            CameraName = camera.Name,
            Url = UrlForAttempt(camera, attempt),
            RtspTransport = camera.RtspTransport,
            OpenTimeout = camera.OpenTimeout,
            ReadTimeout = camera.ReadTimeout,
            Realtime = camera.Realtime,
            Loop = camera.Loop,
            Width = camera.Width,
            Height = camera.Height,
        };
    }

    /// <summary>The URL a camera uses on connection attempt <paramref name="attempt"/>: its URL then its fallback URLs, in order, wrapping round.</summary>
    public static string UrlForAttempt(CameraOptions camera, int attempt)
    {
        ArgumentNullException.ThrowIfNull(camera);
        ArgumentOutOfRangeException.ThrowIfNegative(attempt);
        var index = attempt % (camera.FallbackUrls.Count + 1);
        return index == 0 ? camera.Url : camera.FallbackUrls[index - 1];
    }

    /// <summary>A copy with another URL (for fallback URLs).</summary>
    public FrameSourceOptions WithUrl(string url)
    {
        var copy = (FrameSourceOptions)MemberwiseClone();
        copy.Url = url;
        return copy;
    }

    internal string ResolveFfprobePath()
    {
        if (!string.IsNullOrEmpty(FfprobePath))
        {
            return FfprobePath;
        }

        var directory = Path.GetDirectoryName(FfmpegPath);
        return string.IsNullOrEmpty(directory) ? "ffprobe" : Path.Combine(directory, "ffprobe");
    }
}
