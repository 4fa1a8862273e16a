using System.Text.Json.Serialization;

namespace HgCounter.Runtime;

/// <summary>
/// What one camera counted on one target in one bucket, and for how long it was counting. A bucket the camera was not
/// counting at all has no row: a gap, never a zero.
/// </summary>
/// <remarks>The JSON keys are those of the CSV columns (<see cref="CountHistoryCsv.Header"/>).</remarks>
/// <param name="BucketStart">Local start of the bucket, with the time zone's offset at that instant.</param>
/// <param name="Camera">Camera name.</param>
/// <param name="Target">The line (or zone) counted on; empty on the row of a covered bucket in which nothing was counted at all.</param>
/// <param name="Direction">In or Out for a line crossing, the kind (<c>zone-enter</c>, <c>zone-exit</c>, <c>loiter</c>) for a zone; empty with an empty <paramref name="Target"/>.</param>
/// <param name="Class">Class name, e.g. <c>person</c>; empty with an empty <paramref name="Target"/>.</param>
/// <param name="Count">Events counted in the bucket.</param>
/// <param name="CoveredSeconds">Seconds of the bucket during which the camera was receiving and processing frames; below the bucket's length when it was offline for part of it.</param>
public sealed record CountHistoryRow(
    [property: JsonPropertyName("bucket_start")] DateTimeOffset BucketStart,
    [property: JsonPropertyName("camera")] string Camera,
    [property: JsonPropertyName("target")] string Target,
    [property: JsonPropertyName("direction")] string Direction,
    [property: JsonPropertyName("class")] string Class,
    [property: JsonPropertyName("count")] long Count,
    [property: JsonPropertyName("covered_seconds")] double CoveredSeconds);
