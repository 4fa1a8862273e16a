namespace HgCounter.Events;

/// <summary>
/// Delivers count events to a backend. Must be idempotent on <see cref="CountEvent.EventId"/>: the outbox resends a batch
/// whose delivery was not confirmed, so a second delivery of the same event must not count twice.
/// </summary>
public interface ICountEventSink
{
    /// <summary>Name for logs and status (e.g. <c>postgres</c>); never contains secrets.</summary>
    string Name { get; }

    /// <summary>
    /// Delivers the batch; returns normally only when the backend confirmed every event. Throws
    /// <see cref="SinkDeliveryException"/> to say whether a retry can help.
    /// </summary>
    Task DeliverAsync(IReadOnlyList<CountEvent> batch, CancellationToken cancellationToken);
}
