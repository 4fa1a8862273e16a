using System.ComponentModel.DataAnnotations;

namespace HgCounter.Configuration;

/// <summary>One camera: where to read it, how to detect, and which lines to count.</summary>
public sealed class CameraOptions
{
    /// <summary>Unique camera name.</summary>
    [Required]
    public string Name { get; set; } = string.Empty;

    /// <summary>
    /// Stream location: <c>rtsp://</c>, <c>rtsps://</c>, <c>http(s)://</c>, <c>rtmp://</c>, a file path, <c>device:0</c> for a capture device,
    /// or <c>synthetic:NAME</c> for a generated test scene. Credentials may be embedded; they are never logged.
    /// </summary>
    [Required]
    public string Url { get; set; } = string.Empty;

    /// <summary>Other URLs of the same camera, tried in order after <see cref="Url"/> on reconnect.</summary>
    public IList<string> FallbackUrls { get; } = [];

    /// <summary>Detector name (<c>motion</c>, <c>onnx</c>, or one added with the builder).</summary>
    [Required]
    public string Detector { get; set; } = "motion";

    /// <summary>
    /// The named model of the <c>onnx</c> detector this camera uses (<c>HgCounter:Detectors:Onnx:Models:NAME</c>); null uses
    /// the detector's own <c>ModelPath</c>. A model is loaded once and shared by every camera that names it.
    /// </summary>
    public string? Model { get; set; }

    /// <summary>Classes this camera keeps, by label; empty keeps what the detector (or its named model) is configured to keep.</summary>
    public IList<string> Classes { get; } = [];

    /// <summary>Minimum confidence for this camera; null uses the detector's (or its named model's).</summary>
    [Range(0.0, 1.0)]
    public float? Confidence { get; set; }

    /// <summary>
    /// Frames per second to process (capped by the resource guard's <c>MaxFps</c>). ffmpeg delivers only these frames for
    /// live streams and realtime files (batch files, <c>Realtime: false</c>, keep every frame); any excess is skipped before processing.
    /// </summary>
    [Range(0.1, 120)]
    public double TargetFps { get; set; } = 10;

    /// <summary>Counting lines in source-frame pixels.</summary>
    public IList<LineOptions> Lines { get; } = [];

    /// <summary>Polygon zones in source-frame pixels: occupancy, enter, exit and loitering.</summary>
    public IList<ZoneOptions> Zones { get; } = [];

    /// <summary>The ffmpeg executable that reads this camera (network streams and files): a name looked up on PATH or a full path. Checked at start-up.</summary>
    [Required]
    public string FfmpegPath { get; set; } = "ffmpeg";

    /// <summary>RTSP transport for ffmpeg: <c>tcp</c> (default; survives packet loss) or <c>udp</c>.</summary>
    [RegularExpression("^(tcp|udp|udp_multicast|http|https)$")]
    public string RtspTransport { get; set; } = "tcp";

    /// <summary>How long opening a stream may take before it fails.</summary>
    [Range(typeof(TimeSpan), "00:00:00.100", "00:05:00")]
    public TimeSpan OpenTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>How long a read may wait for the next frame before the source reports a stall.</summary>
    [Range(typeof(TimeSpan), "00:00:00.100", "00:05:00")]
    public TimeSpan ReadTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>For files: pace reading at the native frame rate (true) or read as fast as the pipeline goes (false, batch counting).</summary>
    public bool Realtime { get; set; } = true;

    /// <summary>For files: start again at the end instead of finishing.</summary>
    public bool Loop { get; set; }

    /// <summary>
    /// Hardware decoding by ffmpeg: <c>none</c> (default, software), <c>vaapi</c> (Intel/AMD), <c>cuda</c> (NVIDIA) or
    /// <c>qsv</c> (Intel Quick Sync), passed as <c>-hwaccel</c>. Frames still come back to system memory as bgr24.
    /// Files read through OpenCV and devices ignore it.
    /// </summary>
    [RegularExpression("^(none|vaapi|cuda|qsv)$")]
    public string HardwareDecode { get; set; } = "none";

    /// <summary>The device for <see cref="HardwareDecode"/> (<c>-hwaccel_device</c>), e.g. <c>/dev/dri/renderD128</c> or a CUDA device index; null for ffmpeg's default.</summary>
    public string? HardwareDevice { get; set; }

    /// <summary>
    /// Optional output width; frames are scaled by the decoder (keep aspect by setting only one of width/height), and lines
    /// are then given in this scaled picture's pixels.
    /// </summary>
    [Range(16, 7680)]
    public int? Width { get; set; }

    /// <summary>Optional output height.</summary>
    [Range(16, 4320)]
    public int? Height { get; set; }
}
