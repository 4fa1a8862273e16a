namespace HgCounter.ConsoleSample;

/// <summary>
/// One row of the console's count chart: what one camera counted on one line in one direction, per hour of one local day.
/// </summary>
/// <param name="Camera">Camera name.</param>
/// <param name="Line">Line name.</param>
/// <param name="Direction">In or Out.</param>
/// <param name="IsToday">Today's row (true) or yesterday's.</param>
/// <param name="DayStart">The local day's first instant, with the zone's offset then.</param>
/// <param name="Hours">One slot per hourly bucket of the day (23, 24 or 25 with a DST change); null where the camera was not counting.</param>
/// <param name="Bars">The slots as block characters, scaled to the busiest hour of the line's today and yesterday rows.</param>
internal sealed record CountChartRow(
    string Camera, string Line, string Direction, bool IsToday, DateTimeOffset DayStart, IReadOnlyList<long?> Hours, string Bars)
{
    public long Total => Hours.Sum(h => h ?? 0);

    public string Label => $"{Camera} {Line} {Direction.ToLowerInvariant()}";
}
