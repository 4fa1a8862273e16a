using System.Text.Json.Serialization;

namespace HgCounter.WorkerSample;

/// <summary>One crossing in <c>/api/crossings</c>; the keys are those of the count event (docs/events.md).</summary>
internal sealed record RecentCrossing(
    [property: JsonPropertyName("timestamp")] DateTimeOffset Timestamp,
    [property: JsonPropertyName("camera")] string Camera,
    [property: JsonPropertyName("line")] string Line,
    [property: JsonPropertyName("direction")] string Direction,
    [property: JsonPropertyName("label")] string Label);
