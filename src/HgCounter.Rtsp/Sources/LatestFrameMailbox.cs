using System.Threading.Tasks.Sources;
using HgCounter.Frames;

namespace HgCounter.Rtsp.Sources;

/// <summary>
/// A small hand-over between a reader thread and an async consumer. In latest-frame mode a new frame replaces an
/// untaken one (which is disposed and counted); in lossless mode the reader queues up to three frames, then waits for the consumer.
/// A consumer waiting longer than the read timeout gets <see cref="FrameSourceErrorKind.Stalled"/>.
/// Steady state allocates nothing: the consumer awaits this object (an <see cref="IValueTaskSource{T}"/>) and
/// completions are queued to the thread pool as this object (an <see cref="IThreadPoolWorkItem"/>).
/// </summary>
internal sealed class LatestFrameMailbox : IValueTaskSource<Frame?>, IThreadPoolWorkItem, IDisposable
{
    private const int LosslessCapacity = 3;
    private readonly object _lock = new();
    private readonly bool _dropOld;
    private readonly Action _onFailure;
    private TimeSpan _timeout;
    private readonly string _displayName;
    private readonly ITimer _timer;
    private ManualResetValueTaskSourceCore<Frame?> _core;
    // One slot in latest-frame mode; a few in lossless mode so the decoder runs ahead of a consumer that keeps pace on average.
    private readonly Queue<Frame> _slots;
    private readonly int _capacity;
    private bool _waiting;
    private bool _completed;
    private Exception? _error;
    private Frame? _pendingResult;
    private Exception? _pendingError;
    private CancellationTokenRegistration _cancellation;
    private long _dropped;

    /// <param name="dropOld">Latest-frame mode (true) or lossless mode (false).</param>
    /// <param name="displayName">Redacted source name for errors.</param>
    /// <param name="timeProvider">Clock for the read timeout.</param>
    /// <param name="onFailure">Called once when a consumer stalls or cancels: the mailbox is then closed and the producer should stop.</param>
    public LatestFrameMailbox(bool dropOld, string displayName, TimeProvider timeProvider, Action onFailure)
    {
        _dropOld = dropOld;
        _onFailure = onFailure;
        _capacity = dropOld ? 1 : LosslessCapacity;
        _slots = new Queue<Frame>(_capacity);
        _displayName = displayName;
        _core.RunContinuationsAsynchronously = false;
        _timer = timeProvider.CreateTimer(static s => ((LatestFrameMailbox)s!).OnTimeout(), this, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
    }

    /// <summary>How many frames the mailbox holds at most.</summary>
    public int Capacity => _capacity;

    /// <summary>Frames replaced before the consumer took them.</summary>
    public long Dropped => Interlocked.Read(ref _dropped);

    /// <summary>Reader side: offers a frame. Returns false (and disposes the frame) when the mailbox is closed.</summary>
    public bool Post(Frame frame)
    {
        Frame? old = null;
        lock (_lock)
        {
            while (!_dropOld && _slots.Count == _capacity && !_completed)
            {
                Monitor.Wait(_lock, TimeSpan.FromSeconds(1));
            }

            if (_completed)
            {
                frame.Dispose();
                return false;
            }

            if (_waiting)
            {
                _waiting = false;
                _timer.Change(Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
                _pendingResult = frame;
                ThreadPool.UnsafeQueueUserWorkItem(this, preferLocal: false);
                return true;
            }

            if (_slots.Count == _capacity)
            {
                old = _slots.Dequeue();
            }

            _slots.Enqueue(frame);
        }

        if (old is not null)
        {
            old.Dispose();
            Interlocked.Increment(ref _dropped);
        }

        return true;
    }

    /// <summary>Reader side: no more frames. <paramref name="error"/> null means a clean end (the consumer gets null).</summary>
    public void Complete(Exception? error)
    {
        lock (_lock)
        {
            if (_completed)
            {
                return;
            }

            _completed = true;
            _error = error;
            Monitor.PulseAll(_lock);
            if (_waiting && _slots.Count == 0)
            {
                _waiting = false;
                _timer.Change(Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
                _pendingError = error;
                ThreadPool.UnsafeQueueUserWorkItem(this, preferLocal: false);
            }
        }
    }

    /// <summary>Consumer side: the latest frame, null at a clean end; one call at a time.</summary>
    public ValueTask<Frame?> TakeAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        if (cancellationToken.IsCancellationRequested)
        {
            lock (_lock)
            {
                CloseLocked(new FrameSourceException(FrameSourceErrorKind.StreamEnded, _displayName, "reading was cancelled; open a new source."));
            }

            _onFailure();
            return ValueTask.FromCanceled<Frame?>(cancellationToken);
        }

        lock (_lock)
        {
            if (_waiting)
            {
                throw new InvalidOperationException("ReadAsync is already pending; call it from one consumer at a time.");
            }

            if (_slots.TryDequeue(out var frame))
            {
                Monitor.PulseAll(_lock);
                return new ValueTask<Frame?>(frame);
            }

            if (_completed)
            {
                return _error is null ? new ValueTask<Frame?>((Frame?)null) : ValueTask.FromException<Frame?>(_error);
            }

            _core.Reset();
            _waiting = true;
            _pendingResult = null;
            _pendingError = null;
            _timeout = timeout;
            _timer.Change(timeout, Timeout.InfiniteTimeSpan);
            if (cancellationToken.CanBeCanceled)
            {
                _cancellation = cancellationToken.UnsafeRegister(static (s, ct) => ((LatestFrameMailbox)s!).OnCancelled(ct), this);
            }

            return new ValueTask<Frame?>(this, _core.Version);
        }
    }

    /// <summary>Disposes any untaken frame and fails a waiting consumer.</summary>
    public void Dispose()
    {
        Complete(new ObjectDisposedException(_displayName));
        Frame[] left;
        lock (_lock)
        {
            left = [.. _slots];
            _slots.Clear();
        }

        foreach (var frame in left)
        {
            frame.Dispose();
        }

        _timer.Dispose();
    }

    private void OnTimeout()
    {
        lock (_lock)
        {
            if (!_waiting)
            {
                return;
            }

            _waiting = false;
            _pendingError = new FrameSourceException(FrameSourceErrorKind.Stalled, _displayName, $"no frame within the read timeout of {_timeout.TotalSeconds:0.###} s.");
            CloseLocked(_pendingError);
        }

        Execute();
        _onFailure();
    }

    private void OnCancelled(CancellationToken token)
    {
        lock (_lock)
        {
            if (!_waiting)
            {
                return;
            }

            _waiting = false;
            _timer.Change(Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
            _pendingError = new OperationCanceledException(token);
            CloseLocked(new FrameSourceException(FrameSourceErrorKind.StreamEnded, _displayName, "reading was cancelled; open a new source."));
        }

        Execute();
        _onFailure();
    }

    private void CloseLocked(Exception error)
    {
        if (_completed)
        {
            return;
        }

        _completed = true;
        _error = error;
        Monitor.PulseAll(_lock);
    }

    /// <summary>Completes the waiting consumer on a thread-pool thread (never on the reader thread).</summary>
    public void Execute()
    {
        _cancellation.Dispose();
        _cancellation = default;
        if (_pendingError is { } error)
        {
            _core.SetException(error);
        }
        else
        {
            _core.SetResult(_pendingResult);
        }
    }

    Frame? IValueTaskSource<Frame?>.GetResult(short token) => _core.GetResult(token);

    ValueTaskSourceStatus IValueTaskSource<Frame?>.GetStatus(short token) => _core.GetStatus(token);

    void IValueTaskSource<Frame?>.OnCompleted(Action<object?> continuation, object? state, short token, ValueTaskSourceOnCompletedFlags flags) =>
        _core.OnCompleted(continuation, state, token, flags);
}
