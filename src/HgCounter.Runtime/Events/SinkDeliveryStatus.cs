using HgCounter.Events;

namespace HgCounter.Runtime.Events;

/// <summary>Delivery state of one sink, for status pages. Holds no secrets.</summary>
/// <param name="Name">Sink name.</param>
/// <param name="Delivered">Events this sink confirmed since start.</param>
/// <param name="Poisoned">Events this sink rejected permanently since start.</param>
/// <param name="ConsecutiveFailures">Failed attempts since the last success; 0 when the sink is up.</param>
/// <param name="LastError">Redacted message of the last failure; null after a success.</param>
/// <param name="LastSuccessAt">When this sink last confirmed a batch.</param>
/// <param name="LastFailureKind">
/// Kind of the last failure; null after a success. <see cref="SinkFailureKind.Configuration"/> (also when the backend
/// refuses every event it is sent) means a person has to act: the events wait in the outbox meanwhile.
/// </param>
public sealed record SinkDeliveryStatus(
    string Name,
    long Delivered,
    long Poisoned,
    int ConsecutiveFailures,
    string? LastError,
    DateTimeOffset? LastSuccessAt,
    SinkFailureKind? LastFailureKind = null);
