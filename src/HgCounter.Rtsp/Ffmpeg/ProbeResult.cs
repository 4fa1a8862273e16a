namespace HgCounter.Rtsp.Ffmpeg;

/// <summary>What ffprobe reported about a stream's first video track.</summary>
/// <param name="Width">Coded width in pixels.</param>
/// <param name="Height">Coded height in pixels.</param>
/// <param name="FramesPerSecond">Frame rate, or 0 when unknown.</param>
/// <param name="Codec">Codec name such as <c>h264</c>.</param>
public sealed record ProbeResult(int Width, int Height, double FramesPerSecond, string? Codec);
