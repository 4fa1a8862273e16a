using HgCounter.Counting;

namespace HgCounter.Events;

/// <summary>One counted crossing. <see cref="EventId"/> is unique, so sinks can deduplicate resends.</summary>
/// <param name="EventId">Unique id of this crossing; the idempotency key of every sink.</param>
/// <param name="Camera">Camera name.</param>
/// <param name="Line">Line name.</param>
/// <param name="Direction">In or Out.</param>
/// <param name="ClassId">Class index of the detector.</param>
/// <param name="Label">Class name, e.g. <c>person</c>.</param>
/// <param name="TrackId">Id of the track that crossed.</param>
/// <param name="Timestamp">Capture time of the frame on which the crossing was confirmed.</param>
/// <param name="WorkerId">Identity of the worker that counted it (stable across restarts), for multi-worker deployments.</param>
public sealed record CountEvent(
    Guid EventId,
    string Camera,
    string Line,
    CrossingDirection Direction,
    int ClassId,
    string Label,
    long TrackId,
    DateTimeOffset Timestamp,
    string WorkerId);
