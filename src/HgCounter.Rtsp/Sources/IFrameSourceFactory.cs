using HgCounter.Configuration;
using HgCounter.Frames;
using HgCounter.Rtsp.Connection;

namespace HgCounter.Rtsp.Sources;

/// <summary>Creates the right <see cref="IFrameSource"/> for a location, and tests connections.</summary>
public interface IFrameSourceFactory
{
    /// <summary>Creates (does not open) a source. Throws <see cref="FrameSourceException"/> for a malformed URL, an unsupported scheme or a missing file.</summary>
    IFrameSource Create(FrameSourceOptions options);

    /// <summary>Creates the source for connection attempt <paramref name="attempt"/> of a camera: its URL, then each fallback URL in order, wrapping round.</summary>
    IFrameSource Create(CameraOptions camera, int attempt);

    /// <summary>Probes a location within <paramref name="timeout"/>: resolution and codec, or a typed, redacted reason. Never throws for source failures.</summary>
    Task<ConnectionTestResult> TestConnectionAsync(FrameSourceOptions options, TimeSpan timeout, CancellationToken cancellationToken);
}
