using HgCounter.Frames;

namespace HgCounter.Rtsp.Connection;

/// <summary>The outcome of testing a camera location: its stream properties, or a clear, redacted reason.</summary>
/// <param name="Success">True when a video stream was found.</param>
/// <param name="DisplayName">The location with credentials redacted.</param>
/// <param name="Width">Frame width in pixels (0 on failure).</param>
/// <param name="Height">Frame height in pixels (0 on failure).</param>
/// <param name="Codec">Codec name such as <c>h264</c>, when known.</param>
/// <param name="FramesPerSecond">Nominal frame rate, or 0 when unknown.</param>
/// <param name="Error">Why it failed; null on success.</param>
/// <param name="Message">A redacted, human-readable summary.</param>
public sealed record ConnectionTestResult(bool Success, string DisplayName, int Width, int Height, string? Codec, double FramesPerSecond, FrameSourceErrorKind? Error, string Message)
{
    /// <summary>A success.</summary>
    public static ConnectionTestResult Succeeded(string displayName, StreamInfo info)
    {
        ArgumentNullException.ThrowIfNull(info);
        return new(true, displayName, info.Width, info.Height, info.Codec, info.FramesPerSecond, null, $"{displayName}: {info.Width}x{info.Height} {info.Codec ?? "video"} @ {info.FramesPerSecond:0.##} fps");
    }

    /// <summary>A failure from a typed source exception.</summary>
    public static ConnectionTestResult Failed(FrameSourceException exception)
    {
        ArgumentNullException.ThrowIfNull(exception);
        return new(false, exception.DisplayName, 0, 0, null, 0, exception.Kind, exception.Message);
    }
}
