namespace HgCounter.Runtime.History;

/// <summary>
/// The count history's tables, in the outbox file: a crossing's bucket increments commit in the same transaction as
/// the event itself, so after any crash the history holds exactly the events the outbox accepted.
/// <para>
/// <c>count_buckets</c> is keyed by bucket size, start (Unix seconds of the local bucket start), camera, <c>kind</c>
/// (<c>crossing</c> or <c>zone</c>), target (line or zone name), direction (<c>In</c>/<c>Out</c>, or for a zone the
/// event's kind: <c>zone-enter</c>, <c>zone-exit</c>, <c>loiter</c>) and class.
/// <c>count_coverage</c> holds the milliseconds of each bucket a camera was counting.
/// </para>
/// </summary>
internal static class CountHistorySchema
{
    public const string CreateTables = """
        CREATE TABLE IF NOT EXISTS count_buckets (
            size TEXT NOT NULL,
            start INTEGER NOT NULL,
            camera TEXT NOT NULL,
            kind TEXT NOT NULL,
            target TEXT NOT NULL,
            direction TEXT NOT NULL,
            class TEXT NOT NULL,
            count INTEGER NOT NULL,
            PRIMARY KEY (size, start, camera, kind, target, direction, class)) WITHOUT ROWID;
        CREATE TABLE IF NOT EXISTS count_coverage (
            size TEXT NOT NULL,
            start INTEGER NOT NULL,
            camera TEXT NOT NULL,
            covered_ms INTEGER NOT NULL,
            PRIMARY KEY (size, start, camera)) WITHOUT ROWID;
        """;

    /// <summary>The <c>kind</c> of a line crossing.</summary>
    public const string CrossingKind = "crossing";

    /// <summary>The <c>kind</c> of a zone event.</summary>
    public const string ZoneKind = "zone";

    public static readonly CountBucketSize[] Sizes = [CountBucketSize.QuarterHour, CountBucketSize.Hour, CountBucketSize.Day];
}
