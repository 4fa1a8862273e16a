using HgCounter.Configuration;
using HgCounter.Runtime.History;
using Microsoft.Extensions.Logging.Abstractions;

namespace HgCounter.Runtime.Events;

/// <summary>Operator actions on the outbox file while no agent runs (a running agent offers the same on <see cref="ICounterAgent"/>).</summary>
public static class OfflineOutbox
{
    /// <summary>
    /// Moves events set aside as poison back to pending, for every sink or only <paramref name="sinkName"/>; the next
    /// start of the agent delivers them. Opens the outbox at <see cref="EventOptions.OutboxPath"/> (created if missing).
    /// </summary>
    /// <returns>How many events were moved, and the full path of the outbox file.</returns>
    public static async Task<(int Moved, string Path)> RedrivePoisonedAsync(EventOptions options, string? sinkName = null, TimeProvider? timeProvider = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        await using var outbox = new EventOutbox(options, NullLogger<EventOutbox>.Instance, timeProvider ?? TimeProvider.System);
        return (outbox.RedrivePoisoned(sinkName), outbox.Path);
    }

    /// <summary>
    /// The count history in the outbox file at <see cref="EventOptions.OutboxPath"/> of <paramref name="options"/>, read
    /// on a read-only connection: safe while an agent runs (its coverage of the last few seconds is not yet written).
    /// As <see cref="ICountHistory.QueryAsync"/>; a missing file has no rows.
    /// </summary>
    /// <exception cref="ArgumentException"><see cref="HgCounterOptions.TimeZone"/> is unknown (the message names the key), or <paramref name="to"/> is not after <paramref name="from"/>.</exception>
    public static Task<IReadOnlyList<CountHistoryRow>> QueryCountsAsync(HgCounterOptions options, string? camera, DateTimeOffset from, DateTimeOffset to, CountBucketSize bucket, TimeProvider? timeProvider = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        var buckets = new LocalBuckets(TimeZoneSetting.Resolve(options.TimeZone, timeProvider ?? TimeProvider.System));
        var path = System.IO.Path.GetFullPath(options.Events.OutboxPath);
        return Task.Run(() => CountHistoryQuery.Read(path, buckets, camera, from, to, bucket));
    }
}
