using HgCounter.Runtime;

namespace HgCounter.ConsoleSample;

/// <summary><c>--export-counts PATH [--bucket 15m|1h|1d] [--from T] [--to T] [--camera NAME]</c>; the range defaults to all of the history.</summary>
internal sealed record ExportCountsArguments(string Path, CountBucketSize Bucket = CountBucketSize.Hour, DateTimeOffset? From = null, DateTimeOffset? To = null, string? Camera = null);
