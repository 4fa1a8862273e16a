using HgCounter.Frames;
using HgCounter.Security;

namespace HgCounter.Rtsp.Sources;

/// <summary>Parses a configured location into a <see cref="SourceLocation"/>, turning failures into typed <see cref="FrameSourceException"/>s.</summary>
internal static class LocationParser
{
    public static SourceLocation Parse(string? url)
    {
        if (SourceLocation.TryParse(url, out var location, out var error))
        {
            return location;
        }

        // SourceLocation words its errors; the kind follows from which check failed.
        var kind = error.Contains("unsupported scheme", StringComparison.Ordinal) ? FrameSourceErrorKind.UnsupportedScheme
            : error.Contains("does not exist", StringComparison.Ordinal) ? FrameSourceErrorKind.NotFound
            : FrameSourceErrorKind.InvalidUrl;
        throw new FrameSourceException(kind, Redactor.Redact(url) ?? string.Empty, error);
    }
}
