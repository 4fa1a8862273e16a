namespace HgCounter.Runtime;

/// <summary>
/// Counts kept in local time buckets (15 minutes, 1 hour, 1 day) per camera, target, direction and class, in the agent's
/// SQLite store, so totals survive restarts. Registered by <c>AddHgCounter()</c>.
/// </summary>
public interface ICountHistory
{
    /// <summary>The time zone the buckets are cut in (<c>HgCounter:TimeZone</c>, default the machine's).</summary>
    TimeZoneInfo TimeZone { get; }

    /// <summary>
    /// The buckets of <paramref name="bucket"/> size that start in [<paramref name="from"/>, <paramref name="to"/>),
    /// oldest first, for one camera or (null) all. Includes the coverage counted so far in the current bucket.
    /// "Today" is the local day: from the local midnight (<see cref="TimeZone"/>) to the next.
    /// </summary>
    /// <exception cref="ArgumentException"><paramref name="to"/> is not after <paramref name="from"/>.</exception>
#pragma warning disable CA1716 // "from" and "to" read as the range they are; VB callers pass them by position.
    Task<IReadOnlyList<CountHistoryRow>> QueryAsync(string? camera, DateTimeOffset from, DateTimeOffset to, CountBucketSize bucket, CancellationToken cancellationToken = default);
#pragma warning restore CA1716
}
