using HgCounter.Frames;
using Microsoft.Extensions.Logging;

namespace HgCounter.Rtsp.Sources;

/// <summary>Source-generated log messages of the ingest sources. Every location argument is already redacted.</summary>
internal static partial class IngestLog
{
    [LoggerMessage(EventId = 3001, Level = LogLevel.Information, Message = "Camera {Camera}: opened {Source} ({Width}x{Height} @ {Fps:0.##} fps, {Codec}) with {Reader}")]
    public static partial void Opened(ILogger logger, string camera, string source, int width, int height, double fps, string? codec, string reader);

    // Debug: the same text reaches the caller in the FrameSourceException, and the caller (the agent) logs it once.
    [LoggerMessage(EventId = 3002, Level = LogLevel.Debug, Message = "Camera {Camera}: {Source} failed ({Kind}): {Reason}")]
    public static partial void Failed(ILogger logger, string camera, string source, FrameSourceErrorKind kind, string reason);

    [LoggerMessage(EventId = 3003, Level = LogLevel.Information, Message = "Camera {Camera}: {Source} finished after {Frames} frames")]
    public static partial void Finished(ILogger logger, string camera, string source, long frames);

    [LoggerMessage(EventId = 3004, Level = LogLevel.Debug, Message = "Camera {Camera}: closed {Source} ({Dropped} frames dropped)")]
    public static partial void Closed(ILogger logger, string camera, string source, long dropped);
}
