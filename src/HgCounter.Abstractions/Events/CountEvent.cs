using System.Text.Json.Serialization;
using HgCounter.Counting;

namespace HgCounter.Events;

/// <summary>
/// One counted crossing or zone event (<see cref="Kind"/>). <see cref="EventId"/> is unique, so sinks can deduplicate resends.
/// </summary>
/// <remarks>
/// The JSON keys are part of the type (snake_case, direction and kind as text): one wire shape for the outbox, every sink
/// and the hosts' APIs (docs/events.md). A zone event names its zone in <see cref="Line"/> (the count target) and in
/// <see cref="Zone"/>; its direction is In for enter and loiter and Out for exit.
/// </remarks>
/// <param name="EventId">Unique id of this event; the idempotency key of every sink.</param>
/// <param name="Camera">Camera name.</param>
/// <param name="Line">Count target: the line name, or the zone name for a zone event.</param>
/// <param name="Direction">In or Out.</param>
/// <param name="ClassId">Class index of the detector.</param>
/// <param name="Label">Class name, e.g. <c>person</c>.</param>
/// <param name="TrackId">Id of the track that crossed.</param>
/// <param name="Timestamp">Capture time of the frame on which the crossing was confirmed.</param>
/// <param name="WorkerId">Identity of the worker that counted it (stable across restarts), for multi-worker deployments.</param>
public sealed record CountEvent(
    [property: JsonPropertyName("event_id")] Guid EventId,
    [property: JsonPropertyName("camera")] string Camera,
    [property: JsonPropertyName("line")] string Line,
    [property: JsonPropertyName("direction"), JsonConverter(typeof(JsonStringEnumConverter<CrossingDirection>))] CrossingDirection Direction,
    [property: JsonPropertyName("class_id")] int ClassId,
    [property: JsonPropertyName("label")] string Label,
    [property: JsonPropertyName("track_id")] long TrackId,
    [property: JsonPropertyName("timestamp")] DateTimeOffset Timestamp,
    [property: JsonPropertyName("worker_id")] string WorkerId)
{
    /// <summary>What this event reports; <see cref="CountEventKind.Crossing"/> unless set (events stored before zones existed read as crossings).</summary>
    [JsonPropertyName("kind")]
    public CountEventKind Kind { get; init; }

    /// <summary>Zone name of a zone event; null (and absent from JSON) for a crossing.</summary>
    [JsonPropertyName("zone"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Zone { get; init; }

    /// <summary>Seconds the track spent in the zone: the whole visit on <c>zone-exit</c>, the time so far on <c>loiter</c>; null (and absent) otherwise.</summary>
    [JsonPropertyName("dwell_seconds"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public double? DwellSeconds { get; init; }

    /// <summary>Name of the event's thumbnail (<c>&lt;snapshot_id&gt;.jpg</c>, the event id); null when thumbnails are off or this one was dropped.</summary>
    [JsonPropertyName("snapshot_id")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? SnapshotId { get; init; }
}
