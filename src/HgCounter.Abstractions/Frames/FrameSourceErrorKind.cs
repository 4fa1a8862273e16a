namespace HgCounter.Frames;

/// <summary>Why a frame source failed; lets the watchdog and operators act on the cause.</summary>
public enum FrameSourceErrorKind
{
    /// <summary>Not classified.</summary>
    Unknown = 0,
    /// <summary>The URL does not parse.</summary>
    InvalidUrl,
    /// <summary>The URL scheme is not supported by any source.</summary>
    UnsupportedScheme,
    /// <summary>The decoder binary (ffmpeg) was not found or could not start, or the configured hardware decoder has no usable device.</summary>
    DecoderNotFound,
    /// <summary>The host refused the connection.</summary>
    ConnectionRefused,
    /// <summary>The host or stream did not answer in time.</summary>
    Timeout,
    /// <summary>The stream path does not exist (RTSP/HTTP 404) or the file is missing.</summary>
    NotFound,
    /// <summary>Credentials missing or wrong (401/403).</summary>
    Unauthorized,
    /// <summary>The input is not a decodable video.</summary>
    NotVideo,
    /// <summary>The stream was open but no frame arrived within the read timeout.</summary>
    Stalled,
    /// <summary>The decoder process exited or the connection closed.</summary>
    StreamEnded,
    /// <summary>The frame size changed mid-stream.</summary>
    FrameSizeChanged,
    /// <summary>Frames arrive but the picture has not changed for the watchdog's frozen timeout.</summary>
    Frozen,
}
