namespace HgCounter.Runtime;

/// <summary>
/// Local calendar days as the count history cuts them, so a host asking <see cref="ICountHistory.QueryAsync"/> for
/// "today" gets the same day the daily bucket covers: from local midnight to the next (23, 24 or 25 hours).
/// </summary>
public static class CountDays
{
    /// <summary>The local date of <paramref name="instant"/> in <paramref name="zone"/>.</summary>
    public static DateOnly DateOf(DateTimeOffset instant, TimeZoneInfo zone)
    {
        ArgumentNullException.ThrowIfNull(zone);
        return DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(instant, zone).DateTime);
    }

    /// <summary>
    /// The first instant of <paramref name="day"/> in <paramref name="zone"/>: local midnight, or, where a DST change
    /// skips it, the first valid quarter hour after it; where midnight occurs twice, the first of the two.
    /// </summary>
    public static DateTimeOffset StartOf(DateOnly day, TimeZoneInfo zone)
    {
        ArgumentNullException.ThrowIfNull(zone);
        var local = day.ToDateTime(TimeOnly.MinValue, DateTimeKind.Unspecified);
        while (zone.IsInvalidTime(local))
        {
            local = local.AddMinutes(15);
        }

        var offset = zone.IsAmbiguousTime(local) ? zone.GetAmbiguousTimeOffsets(local).Max() : zone.GetUtcOffset(local);
        return new DateTimeOffset(local, offset).ToUniversalTime();
    }
}
