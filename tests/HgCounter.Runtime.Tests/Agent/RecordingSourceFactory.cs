using System.Collections.Concurrent;
using HgCounter.Configuration;
using HgCounter.Frames;
using HgCounter.Rtsp.Connection;
using HgCounter.Rtsp.Sources;

namespace HgCounter.Runtime.Tests.Agent;

/// <summary>The real source factory, keeping the options of every source the agent asked for.</summary>
internal sealed class RecordingSourceFactory : IFrameSourceFactory
{
    private readonly FrameSourceFactory _inner = new();

    public ConcurrentQueue<FrameSourceOptions> Created { get; } = new();

    public IFrameSource Create(FrameSourceOptions options)
    {
        Created.Enqueue(options);
        return _inner.Create(options);
    }

    public IFrameSource Create(CameraOptions camera, int attempt) => Create(FrameSourceOptions.FromCamera(camera, attempt));

    public Task<ConnectionTestResult> TestConnectionAsync(FrameSourceOptions options, TimeSpan timeout, CancellationToken cancellationToken) =>
        _inner.TestConnectionAsync(options, timeout, cancellationToken);
}
