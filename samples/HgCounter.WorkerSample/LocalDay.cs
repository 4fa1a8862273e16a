using HgCounter.Runtime;

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
        var date = CountDays.DateOf(instant, zone).AddDays(-daysBack);
        return new LocalDay(date.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture), CountDays.StartOf(date, zone), CountDays.StartOf(date.AddDays(1), zone));
    }
}
