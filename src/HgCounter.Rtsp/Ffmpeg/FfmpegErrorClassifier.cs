using HgCounter.Frames;

namespace HgCounter.Rtsp.Ffmpeg;

/// <summary>Maps ffmpeg/ffprobe error text (measured with ffmpeg 5.1) to a <see cref="FrameSourceErrorKind"/>.</summary>
internal static class FfmpegErrorClassifier
{
    private static readonly (string Text, FrameSourceErrorKind Kind)[] Rules =
    [
        // First: a missing hardware device may also print "No such file or directory", but the decoder is what failed.
        ("Device setup failed", FrameSourceErrorKind.DecoderNotFound),
        ("401 Unauthorized", FrameSourceErrorKind.Unauthorized),
        ("403 Forbidden", FrameSourceErrorKind.Unauthorized),
        ("authorization failed", FrameSourceErrorKind.Unauthorized),
        ("404 Not Found", FrameSourceErrorKind.NotFound),
        ("No such file or directory", FrameSourceErrorKind.NotFound),
        ("Connection refused", FrameSourceErrorKind.ConnectionRefused),
        ("Connection timed out", FrameSourceErrorKind.Timeout),
        ("timed out", FrameSourceErrorKind.Timeout),
        ("No route to host", FrameSourceErrorKind.Timeout),
        ("Network is unreachable", FrameSourceErrorKind.Timeout),
        ("Name or service not known", FrameSourceErrorKind.NotFound),
        ("frame changed from size", FrameSourceErrorKind.FrameSizeChanged),
        ("Invalid data found when processing input", FrameSourceErrorKind.NotVideo),
        ("does not contain any stream", FrameSourceErrorKind.NotVideo),
        ("Output file #0 does not contain any stream", FrameSourceErrorKind.NotVideo),
        ("moov atom not found", FrameSourceErrorKind.NotVideo),
    ];

    /// <summary>The error kind the text names, or <paramref name="fallback"/> when none matches.</summary>
    public static FrameSourceErrorKind Classify(string? stderr, FrameSourceErrorKind fallback = FrameSourceErrorKind.Unknown)
    {
        if (string.IsNullOrEmpty(stderr))
        {
            return fallback;
        }

        foreach (var (text, kind) in Rules)
        {
            if (stderr.Contains(text, StringComparison.OrdinalIgnoreCase))
            {
                return kind;
            }
        }

        return fallback;
    }
}
