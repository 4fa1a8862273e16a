using System.ComponentModel.DataAnnotations;
using HgCounter.Configuration;
using HgCounter.Detection;
using HgCounter.Frames;

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

    /// <summary>
    /// Output width; with only one of width/height set the other keeps the aspect ratio. The picture at this size is the
    /// camera's coordinate space (lines are given in it), even when <see cref="MaxWidth"/> makes the frames smaller.
    /// </summary>
    public int? Width { get; set; }

    /// <summary>Output height.</summary>
    public int? Height { get; set; }

    /// <summary>
    /// Largest frame width the consumer uses (the detector's <see cref="IDetector.PreferredFrameSize"/>): ffmpeg scales larger
    /// pictures down to fit inside <see cref="MaxWidth"/>×<see cref="MaxHeight"/> (aspect kept, even sizes, never up), after
    /// dropping frames and after <see cref="Width"/>/<see cref="Height"/>. Frames then carry the coordinate size they were
    /// scaled from (<see cref="Frame.CoordinateWidth"/>). Null: no limit. Only the ffmpeg source applies it.
    /// </summary>
    [Range(2, int.MaxValue)]
    public int? MaxWidth { get; set; }

    /// <summary>Largest frame height the consumer uses (see <see cref="MaxWidth"/>).</summary>
    [Range(2, int.MaxValue)]
    public int? MaxHeight { get; set; }

    /// <summary>
    /// Largest rate at which ffmpeg delivers frames: it drops the others before they are converted and piped, and never
    /// duplicates one (a slower stream keeps its own rate). Null keeps every frame. Only the ffmpeg source applies it.
    /// </summary>
    public double? TargetFps { get; set; }

    /// <summary>Hardware decoding method passed to ffmpeg as <c>-hwaccel</c> (<c>vaapi</c>, <c>cuda</c>, <c>qsv</c>); <c>none</c> or null decodes in software.</summary>
    public string? HardwareDecode { get; set; }

    /// <summary>Device for <see cref="HardwareDecode"/> (<c>-hwaccel_device</c>), e.g. <c>/dev/dri/renderD128</c>; null for ffmpeg's default.</summary>
    public string? HardwareDevice { get; set; }

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
    /// <param name="camera">The camera.</param>
    /// <param name="attempt">The connection attempt.</param>
    /// <param name="processingFps">
    /// The rate the camera is processed at (its <c>TargetFps</c> capped by <c>MaxFps</c>), delivered by the decoder as
    /// <see cref="TargetFps"/> for network streams and realtime files; batch files (<c>Realtime: false</c>) keep every frame.
    /// </param>
    /// <param name="maxFrameSize">The largest picture the camera's detector uses (<see cref="MaxWidth"/>, <see cref="MaxHeight"/>).</param>
    public static FrameSourceOptions FromCamera(CameraOptions camera, int attempt = 0, double? processingFps = null, FrameSizeHint? maxFrameSize = null)
    {
        ArgumentNullException.ThrowIfNull(camera);
        ArgumentOutOfRangeException.ThrowIfNegative(attempt);
        var url = UrlForAttempt(camera, attempt);
        var batch = !camera.Realtime && SourceLocation.TryParse(url, out var location, out _) && location.Kind == SourceKind.File;
        return new FrameSourceOptions
        {
            CameraName = camera.Name,
            Url = url,
            RtspTransport = camera.RtspTransport,
            OpenTimeout = camera.OpenTimeout,
            ReadTimeout = camera.ReadTimeout,
            Realtime = camera.Realtime,
            Loop = camera.Loop,
            Width = camera.Width,
            Height = camera.Height,
            TargetFps = batch ? null : processingFps,
            MaxWidth = Limit(maxFrameSize?.Width),
            MaxHeight = Limit(maxFrameSize?.Height),
            HardwareDecode = camera.HardwareDecode,
            HardwareDevice = camera.HardwareDevice,
            FfmpegPath = camera.FfmpegPath,
        };
    }

    private static int? Limit(int? side) => side is FrameSizeHint.Unbounded ? null : side;

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
