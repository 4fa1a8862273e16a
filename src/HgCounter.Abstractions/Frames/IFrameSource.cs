namespace HgCounter.Frames;

/// <summary>
/// A stream of frames from one camera URL, file or device. Implementations never block without a timeout:
/// every failure surfaces as a <see cref="FrameSourceException"/> within the source's read timeout.
/// </summary>
public interface IFrameSource : IAsyncDisposable
{
    /// <summary>The source location with any credentials redacted; safe to log.</summary>
    string DisplayName { get; }

    /// <summary>Stream properties; known after <see cref="OpenAsync"/> completed.</summary>
    StreamInfo? Info { get; }

    /// <summary>Frames dropped by the latest-frame policy since the source was created.</summary>
    long DroppedFrames { get; }

    /// <summary>Connects and learns the stream's properties. Throws <see cref="FrameSourceException"/> on failure.</summary>
    ValueTask<StreamInfo> OpenAsync(CancellationToken cancellationToken);

    /// <summary>
    /// Returns the next (latest) frame, which the caller must dispose; <c>null</c> when a finite source (a file) ended.
    /// Throws <see cref="FrameSourceException"/> when the stream failed.
    /// </summary>
    ValueTask<Frame?> ReadAsync(CancellationToken cancellationToken);
}
