using HgCounter.Frames;
using HgCounter.Tracking;
using OpenCvSharp;

namespace HgCounter.Snapshots;

/// <summary>
/// One camera's hand-over point for snapshots. Costs one flag read a frame while nobody asks: a request raises the
/// flag, the camera loop copies its next processed frame (pixels and confirmed tracks) into buffers this slot owns and
/// wakes the request, and requests within <see cref="MaxAge"/> of a copy reuse it, so the loop copies at most a few
/// times a second however often hosts ask. Drawing and encoding happen on the requester's thread.
/// </summary>
internal sealed class SnapshotSlot
{
    /// <summary>A copy this young is shared by later requests instead of asking the loop again.</summary>
    public static readonly TimeSpan MaxAge = TimeSpan.FromMilliseconds(250);

    private readonly TimeProvider _time;
    private readonly Lock _lock = new();
    private byte[] _pixels = [];
    private Track[] _tracks = new Track[64];
    private int _trackCount;
    private int _width;
    private int _height;
    private int _coordinateWidth;
    private int _coordinateHeight;
    private DateTimeOffset _capturedAt;
    private bool _hasCopy;
    private int _requested;
    private TaskCompletionSource? _waiting;
    private long _copies;

    public SnapshotSlot(TimeProvider time) => _time = time;

    /// <summary>Frames the camera loop has copied for snapshots since start (zero while nobody asks).</summary>
    public long Copies => Interlocked.Read(ref _copies);

    /// <summary>
    /// Called by the camera loop after each processed frame, before the frame goes back to its pool. Copies only when a
    /// request is waiting, and never waits: if a reader holds the slot, the next frame is taken instead.
    /// </summary>
    public void Offer(Frame frame, IReadOnlyList<Track> tracks)
    {
        if (Volatile.Read(ref _requested) == 0 || !_lock.TryEnter())
        {
            return;
        }

        TaskCompletionSource? waiting;
        try
        {
            if (_pixels.Length < frame.Length)
            {
                _pixels = new byte[frame.Length]; // grows once per resolution, then reused
            }

            frame.Pixels.CopyTo(_pixels);
            _width = frame.Width;
            _height = frame.Height;
            _coordinateWidth = frame.CoordinateWidth;
            _coordinateHeight = frame.CoordinateHeight;
            _trackCount = 0;
            foreach (var track in tracks)
            {
                if (!track.IsConfirmed)
                {
                    continue;
                }

                if (_trackCount == _tracks.Length)
                {
                    Array.Resize(ref _tracks, _tracks.Length * 2);
                }

                _tracks[_trackCount++] = track;
            }

            _capturedAt = _time.GetUtcNow();
            _hasCopy = true;
            Interlocked.Increment(ref _copies);
            Volatile.Write(ref _requested, 0);
            waiting = _waiting;
            _waiting = null;
        }
        finally
        {
            _lock.Exit();
        }

        waiting?.TrySetResult(); // continuations run asynchronously: the loop does not draw or encode
    }

    /// <summary>
    /// A copy of the latest processed frame: one younger than <see cref="MaxAge"/> at once, else the next one the loop
    /// hands over within <paramref name="timeout"/>, else the last one ever taken; null when the camera has not processed
    /// a frame since a request was first made. <paramref name="live"/> false (the loop has ended) answers at once.
    /// </summary>
    public async Task<SnapshotCapture?> TakeAsync(TimeSpan timeout, bool live, CancellationToken cancellationToken)
    {
        Task handedOver;
        lock (_lock)
        {
            if (_hasCopy && (!live || _time.GetUtcNow() - _capturedAt < MaxAge))
            {
                return CopyOut();
            }

            if (!live)
            {
                return null;
            }

            _waiting ??= new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            handedOver = _waiting.Task;
            Volatile.Write(ref _requested, 1);
        }

        try
        {
            await handedOver.WaitAsync(timeout, _time, cancellationToken).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            // The camera is not delivering (connecting, offline): fall back to the last copy, if there is one.
        }

        lock (_lock)
        {
            return _hasCopy ? CopyOut() : null;
        }
    }

    // Under the lock: the reader's own Mat, so drawing never touches the buffer the loop writes into.
    private SnapshotCapture CopyOut()
    {
        var image = new Mat(_height, _width, MatType.CV_8UC3);
        try
        {
            using (var view = Mat.FromPixelData(_height, _width, MatType.CV_8UC3, _pixels))
            {
                view.CopyTo(image);
            }

            return new SnapshotCapture(image, _coordinateWidth, _coordinateHeight, _tracks.AsSpan(0, _trackCount).ToArray(), _capturedAt);
        }
        catch
        {
            image.Dispose();
            throw;
        }
    }
}
