namespace HgCounter.Runtime.History;

/// <summary>
/// Cuts time into buckets of local time in one zone. A 15-minute or hourly bucket starts where the local clock shows a
/// multiple of its length, so a day with a DST change has 23 or 25 hourly buckets (the repeated hour is two buckets, at
/// two instants); a daily bucket runs from one local midnight (or the first valid time after it) to the next.
/// Buckets are keyed by their start instant, in Unix seconds.
/// </summary>
internal sealed class LocalBuckets(TimeZoneInfo zone)
{
    private static readonly TimeSpan Quarter = TimeSpan.FromMinutes(15);

    public TimeZoneInfo Zone { get; } = zone;

    /// <summary>The start of the bucket holding <paramref name="instant"/>.</summary>
    public DateTimeOffset Start(DateTimeOffset instant, CountBucketSize size)
    {
        if (size == CountBucketSize.Day)
        {
            return StartOfDay(CountDays.DateOf(instant, Zone));
        }

        var length = size == CountBucketSize.Hour ? TimeSpan.FromHours(1) : Quarter;
        var offset = Zone.GetUtcOffset(instant);
        var localTicks = instant.UtcTicks + offset.Ticks;
        return new DateTimeOffset(instant.UtcTicks - (localTicks % length.Ticks), TimeSpan.Zero);
    }

    /// <summary>The end of the bucket that starts at <paramref name="start"/> (the next bucket's start).</summary>
    public DateTimeOffset End(DateTimeOffset start, CountBucketSize size) => size switch
    {
        CountBucketSize.Day => StartOfDay(CountDays.DateOf(start, Zone).AddDays(1)),
        CountBucketSize.Hour => start.AddHours(1),
        _ => start + Quarter,
    };

    /// <summary><paramref name="instant"/> with the zone's offset at that instant, as people read it.</summary>
    public DateTimeOffset ToLocal(DateTimeOffset instant) => TimeZoneInfo.ConvertTime(instant, Zone);

    private DateTimeOffset StartOfDay(DateOnly day) => CountDays.StartOf(day, Zone);
}
