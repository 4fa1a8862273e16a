namespace HgCounter.WorkerSample;

/// <summary>At most <c>Worker:MaxEventStreams</c> open <c>/api/events</c> streams: each holds a connection and a write per tick.</summary>
internal sealed class EventStreamLimit(int max)
{
    private int _open;

    /// <summary>A slot to dispose when the stream ends; null when all are taken.</summary>
    public IDisposable? TryEnter()
    {
        if (Interlocked.Increment(ref _open) > max)
        {
            Interlocked.Decrement(ref _open);
            return null;
        }

        return new Slot(this);
    }

    private sealed class Slot(EventStreamLimit owner) : IDisposable
    {
        private int _disposed;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _disposed, 1) == 0)
            {
                Interlocked.Decrement(ref owner._open);
            }
        }
    }
}
