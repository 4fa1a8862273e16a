using System.Runtime.CompilerServices;
using System.Threading.Channels;
using HgCounter.Status;

namespace HgCounter.Runtime.Status;

/// <summary>Keeps the latest snapshot and hands every publish to each watcher; a slow watcher skips to the newest.</summary>
internal sealed class StatusBroadcaster
{
    private readonly Lock _gate = new();
    private readonly List<Channel<StatusSnapshot>> _watchers = [];
    private StatusSnapshot _current;

    /// <summary>Creates the broadcaster with an initial snapshot.</summary>
    public StatusBroadcaster(StatusSnapshot initial) => _current = initial;

    /// <summary>The latest snapshot.</summary>
    public StatusSnapshot Current => Volatile.Read(ref _current);

    /// <summary>Replaces the current snapshot and wakes every watcher.</summary>
    public void Publish(StatusSnapshot snapshot)
    {
        Volatile.Write(ref _current, snapshot);
        lock (_gate)
        {
            foreach (var watcher in _watchers)
            {
                watcher.Writer.TryWrite(snapshot);
            }
        }
    }

    /// <summary>Yields the current snapshot, then each published one, until cancelled.</summary>
    public async IAsyncEnumerable<StatusSnapshot> WatchAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var channel = Channel.CreateBounded<StatusSnapshot>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropOldest, SingleReader = true });
        channel.Writer.TryWrite(Current);
        lock (_gate)
        {
            _watchers.Add(channel);
        }

        try
        {
            while (true)
            {
                StatusSnapshot next;
                try
                {
                    next = await channel.Reader.ReadAsync(cancellationToken);
                }
                catch (OperationCanceledException)
                {
                    yield break;
                }

                yield return next;
            }
        }
        finally
        {
            lock (_gate)
            {
                _watchers.Remove(channel);
            }
        }
    }
}
