using System.Collections.Concurrent;
using HgCounter.Events;

namespace HgCounter.Runtime.Tests.Events;

/// <summary>
/// A sink whose backend answers are scripted: it fails while <see cref="FailuresLeft"/> &gt; 0 or while
/// <see cref="Down"/>, rejects (<see cref="SinkFailureKind.Rejected"/>) any batch holding an id in <see cref="Rejected"/>, and records what it accepted.
/// </summary>
internal sealed class ScriptedSink(string name) : ICountEventSink
{
    private int _attempts;

    public string Name { get; } = name;

    public int FailuresLeft { get; set; }

    public volatile bool Down;

    public HashSet<Guid> Rejected { get; } = [];

    public ConcurrentQueue<Guid> Accepted { get; } = new();

    public int Attempts => Volatile.Read(ref _attempts);

    public Task DeliverAsync(IReadOnlyList<CountEvent> batch, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _attempts);
        if (Down || FailuresLeft-- > 0)
        {
            throw new SinkDeliveryException($"{Name} is down", SinkFailureKind.Transient);
        }

        if (batch.Any(e => Rejected.Contains(e.EventId)))
        {
            throw new SinkDeliveryException($"{Name} refuses this data", SinkFailureKind.Rejected);
        }

        foreach (var e in batch)
        {
            Accepted.Enqueue(e.EventId);
        }

        return Task.CompletedTask;
    }
}
