using HgCounter.Health;

namespace HgCounter.Frames;

/// <summary>Maps a frame source's error to the camera health's failure reason.</summary>
public static class FrameSourceErrorKindExtensions
{
    /// <summary>The <see cref="CameraFailureReason"/> a source failure of this kind reports.</summary>
    public static CameraFailureReason ToFailureReason(this FrameSourceErrorKind kind) => kind switch
    {
        FrameSourceErrorKind.InvalidUrl or FrameSourceErrorKind.UnsupportedScheme => CameraFailureReason.InvalidSource,
        FrameSourceErrorKind.DecoderNotFound => CameraFailureReason.DecoderMissing,
        FrameSourceErrorKind.ConnectionRefused => CameraFailureReason.Unreachable,
        FrameSourceErrorKind.Timeout => CameraFailureReason.Timeout,
        FrameSourceErrorKind.NotFound => CameraFailureReason.NotFound,
        FrameSourceErrorKind.Unauthorized => CameraFailureReason.AuthFailed,
        FrameSourceErrorKind.NotVideo => CameraFailureReason.NotVideo,
        FrameSourceErrorKind.Stalled => CameraFailureReason.Stalled,
        FrameSourceErrorKind.StreamEnded => CameraFailureReason.StreamEnded,
        FrameSourceErrorKind.FrameSizeChanged => CameraFailureReason.FrameSizeChanged,
        FrameSourceErrorKind.Frozen => CameraFailureReason.Frozen,
        _ => CameraFailureReason.Unknown,
    };
}
