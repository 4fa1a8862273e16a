namespace HgCounter.WorkerSample;

/// <summary>
/// One calendar day of the count history's time zone (<c>HgCounter:TimeZone</c>) as the UTC instants it starts and ends
/// at, so the dashboard asks <c>/api/counts</c> for the same day the history cuts, whatever the browser's own zone.
/// </summary>
/// <param name="Date">The local date, <c>yyyy-MM-dd</c>.</param>
/// <param name="From">The day's first instant (local midnight, or the first valid time after it).</param>
/// <param name="To">The next day's first instant: 23, 24 or 25 hours later.</param>
internal sealed record LocalDay(string Date, DateTimeOffset From, DateTimeOffset To)
{
    /// <summary>The local day holding <paramref name="instant"/>, <paramref name="daysBack"/> days back.</summary>
    public static LocalDay Of(DateTimeOffset instant, TimeZoneInfo zone, int daysBack = 0)
    {
        var date = DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(instant, zone).DateTime).AddDays(-daysBack);
        return new LocalDay(date.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture), Start(date, zone), Start(date.AddDays(1), zone));
    }

    // As the history's buckets: a midnight skipped by a DST change starts the day at its first valid quarter hour, a
    // repeated one at its first occurrence.
    private static DateTimeOffset Start(DateOnly date, TimeZoneInfo zone)
    {
        var local = date.ToDateTime(TimeOnly.MinValue, DateTimeKind.Unspecified);
        while (zone.IsInvalidTime(local))
        {
            local = local.AddMinutes(15);
        }

        var offset = zone.IsAmbiguousTime(local) ? zone.GetAmbiguousTimeOffsets(local).Max() : zone.GetUtcOffset(local);
        return new DateTimeOffset(local, offset).ToUniversalTime();
    }
}
