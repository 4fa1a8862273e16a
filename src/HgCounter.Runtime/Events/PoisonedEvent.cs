namespace HgCounter.Runtime.Events;

/// <summary>An event a sink rejected permanently; it stays in the outbox's <c>poison</c> table for a person to look at.</summary>
/// <param name="EventId">Id of the event.</param>
/// <param name="Sink">Name of the sink that rejected it.</param>
/// <param name="Reason">Why, as the sink said it (redacted).</param>
/// <param name="At">When it was set aside.</param>
internal sealed record PoisonedEvent(Guid EventId, string Sink, string Reason, DateTimeOffset At);
