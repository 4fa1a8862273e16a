using HgCounter.Frames;

namespace HgCounter.Rtsp.Synthetic;

/// <summary>
/// Frames of a <see cref="SyntheticScene"/> (the source behind <c>synthetic:NAME</c> URLs). In real-time mode frames are
/// paced at the scene's frame rate on the injected <see cref="TimeProvider"/>. A looping scene stands for a live camera:
/// a reader that falls behind skips the frames it missed (counted in <see cref="DroppedFrames"/>). A scene played once
/// is a recording: a slow reader gets every frame late rather than losing any, so the crossings it counts (and their
/// ids) do not depend on the machine's load. Otherwise frames come as fast as they are read and carry timestamps spaced
/// by the nominal frame interval. Frame sequences keep increasing across loops.
/// </summary>
internal sealed class SyntheticFrameSource : IFrameSource
{
    private readonly SyntheticScene _scene;
    private readonly string _cameraName;
    private readonly TimeProvider _time;
    private readonly bool _realtime;
    private readonly bool _loop;
    private readonly FramePool _pool;
    private readonly TimeSpan _interval;
    private DateTimeOffset _start;
    private long _next;
    private long _dropped;

    /// <summary>Creates a source for <paramref name="scene"/>.</summary>
    /// <param name="scene">The scene to draw.</param>
    /// <param name="cameraName">Camera name stamped on frames.</param>
    /// <param name="time">Clock for pacing and timestamps.</param>
    /// <param name="realtime">Pace frames at the scene's frame rate.</param>
    /// <param name="loop">Start again after the last frame instead of ending.</param>
    /// <param name="pool">Frame pool (default <see cref="FramePool.Shared"/>).</param>
    public SyntheticFrameSource(SyntheticScene scene, string cameraName, TimeProvider time, bool realtime = true, bool loop = false, FramePool? pool = null)
    {
        ArgumentNullException.ThrowIfNull(scene);
        ArgumentNullException.ThrowIfNull(cameraName);
        ArgumentNullException.ThrowIfNull(time);
        _scene = scene;
        _cameraName = cameraName;
        _time = time;
        _realtime = realtime;
        _loop = loop;
        _pool = pool ?? FramePool.Shared;
        _interval = TimeSpan.FromSeconds(1 / scene.FramesPerSecond);
        DisplayName = "synthetic:" + scene.Name;
    }

    /// <summary>Creates a source for the library scene named <paramref name="sceneName"/> (see <see cref="SyntheticScenes"/>).</summary>
    public static SyntheticFrameSource FromName(string sceneName, string cameraName, TimeProvider time, bool realtime = true, bool loop = false, FramePool? pool = null) =>
        new(SyntheticScenes.Get(sceneName), cameraName, time, realtime, loop, pool);

    /// <inheritdoc />
    public string DisplayName { get; }

    /// <inheritdoc />
    public StreamInfo? Info { get; private set; }

    /// <inheritdoc />
    public long DroppedFrames => Interlocked.Read(ref _dropped);

    /// <summary>The scene being drawn.</summary>
    public SyntheticScene Scene => _scene;

    /// <inheritdoc />
    public ValueTask<StreamInfo> OpenAsync(CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        _start = _time.GetUtcNow();
        _next = 0;
        Info = new StreamInfo(_scene.Width, _scene.Height, _scene.FramesPerSecond, "synthetic", IsLive: _loop);
        return ValueTask.FromResult(Info);
    }

    /// <inheritdoc />
    public async ValueTask<Frame?> ReadAsync(CancellationToken cancellationToken)
    {
        if (Info is null)
        {
            throw new InvalidOperationException($"{DisplayName}: OpenAsync must complete before ReadAsync.");
        }

        cancellationToken.ThrowIfCancellationRequested();
        DateTimeOffset timestamp;
        if (_realtime)
        {
            var now = _time.GetUtcNow();
            var due = _start + (_interval * _next);
            if (due > now)
            {
                await Task.Delay(due - now, _time, cancellationToken).ConfigureAwait(false);
            }
            else if (_loop)
            {
                // Behind by whole frames: a live camera would have moved on, so skip to the newest frame.
                var current = (long)((now - _start) / _interval);
                if (current > _next)
                {
                    Interlocked.Add(ref _dropped, current - _next);
                    _next = current;
                }
            }

            timestamp = _time.GetUtcNow();
        }
        else
        {
            timestamp = _start + (_interval * _next);
        }

        if (!_loop && _next >= _scene.FrameCount)
        {
            return null;
        }

        var frame = _pool.Rent(_scene.Width, _scene.Height, _cameraName, _next, timestamp);
        _scene.Render((int)(_next % _scene.FrameCount), frame);
        _next++;
        return frame;
    }

    /// <inheritdoc />
    public ValueTask DisposeAsync() => ValueTask.CompletedTask;
}
