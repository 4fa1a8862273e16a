namespace HgCounter.Health;

/// <summary>
/// Why a camera last failed, classified where the failure is found (the frame source for connection and stream errors,
/// the watchdog for stalls and frozen pictures). Lets hosts and alerts act on the cause without parsing the text.
/// </summary>
public enum CameraFailureReason
{
    /// <summary>Not classified.</summary>
    Unknown = 0,
    /// <summary>The configured source cannot be used: a URL that does not parse, an unsupported scheme.</summary>
    InvalidSource,
    /// <summary>The decoder (ffmpeg) or the configured hardware decoder is missing.</summary>
    DecoderMissing,
    /// <summary>Credentials missing or wrong (401/403).</summary>
    AuthFailed,
    /// <summary>The stream path does not exist (RTSP/HTTP 404, unknown host name) or the file is missing.</summary>
    NotFound,
    /// <summary>The host refused the connection.</summary>
    Unreachable,
    /// <summary>The host or stream did not answer in time.</summary>
    Timeout,
    /// <summary>The input is not a decodable video.</summary>
    NotVideo,
    /// <summary>The stream was open but sent no frame for the stall timeout.</summary>
    Stalled,
    /// <summary>Frames arrive but their content has not changed for the frozen timeout.</summary>
    Frozen,
    /// <summary>The decoder exited or the connection closed.</summary>
    StreamEnded,
    /// <summary>The frame size changed mid-stream; the stream is reopened to learn the new size.</summary>
    FrameSizeChanged,
    /// <summary>An operator asked for a reconnect while an attempt was running.</summary>
    ReconnectRequested,
}
