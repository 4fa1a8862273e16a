using HgCounter.Events;

namespace HgCounter.Runtime.Events;

/// <summary>One stored event: its position in the outbox and the event itself.</summary>
/// <param name="Sequence">Monotonic position in the outbox (never reused).</param>
/// <param name="Event">The event.</param>
/// <param name="Payload">The stored JSON, kept so a poisoned event can be set aside byte for byte.</param>
internal readonly record struct OutboxEntry(long Sequence, CountEvent Event, string Payload);
