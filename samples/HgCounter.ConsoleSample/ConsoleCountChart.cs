using System.Globalization;
using HgCounter.Runtime;

namespace HgCounter.ConsoleSample;

/// <summary>
/// Turns hourly count history into the console's chart rows: today and yesterday (local days of the history's time
/// zone) per camera, line and direction. Pure, so DST days and midnight can be checked without a clock.
/// </summary>
internal static class ConsoleCountChart
{
    /// <summary>How often the live view reads the history again: hourly buckets change slowly, frames do not drive it.</summary>
    public static readonly TimeSpan RefreshInterval = TimeSpan.FromSeconds(30);

    private const string Levels = "▁▂▃▄▅▆▇█";
    private const char Gap = ' ';
    private const char Zero = '·';

    /// <summary>Reads the hourly history of yesterday and today (all cameras) and makes the chart rows of it.</summary>
    public static async Task<IReadOnlyList<CountChartRow>> LoadAsync(ICountHistory history, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var (yesterday, _, tomorrow) = Days(now, history.TimeZone);
        var rows = await history.QueryAsync(null, yesterday, tomorrow, CountBucketSize.Hour, cancellationToken);
        return Rows(rows, history.TimeZone, now);
    }

    /// <summary>The starts of yesterday, today and tomorrow in <paramref name="zone"/> as seen at <paramref name="now"/>.</summary>
    public static (DateTimeOffset Yesterday, DateTimeOffset Today, DateTimeOffset Tomorrow) Days(DateTimeOffset now, TimeZoneInfo zone)
    {
        var today = CountDays.DateOf(now, zone);
        return (CountDays.StartOf(today.AddDays(-1), zone), CountDays.StartOf(today, zone), CountDays.StartOf(today.AddDays(1), zone));
    }

    /// <summary>
    /// The chart rows for <paramref name="history"/> (hourly rows, any cameras): per camera, line and direction a today
    /// row followed by a yesterday row, ordered by camera, line, In before Out. Rows outside the two days are ignored.
    /// </summary>
    public static IReadOnlyList<CountChartRow> Rows(IReadOnlyList<CountHistoryRow> history, TimeZoneInfo zone, DateTimeOffset now)
    {
        var (yesterday, today, tomorrow) = Days(now, zone);
        var days = new[] { (Start: today, End: tomorrow, IsToday: true), (Start: yesterday, End: today, IsToday: false) };

        // Any row of a camera (the empty-target one too) means it was counting in that hour: its lines' zeros are real.
        var covered = history.Select(r => (r.Camera, r.BucketStart.UtcTicks)).ToHashSet();
        var result = new List<CountChartRow>();
        var lines = history
            .Where(r => r.Target.Length > 0 && r.BucketStart >= yesterday && r.BucketStart < tomorrow)
            .GroupBy(r => (r.Camera, r.Target, r.Direction))
            .OrderBy(g => g.Key.Camera, StringComparer.Ordinal)
            .ThenBy(g => g.Key.Target, StringComparer.Ordinal)
            .ThenBy(g => g.Key.Direction == "In" ? 0 : 1);
        foreach (var line in lines)
        {
            var perDay = days.Select(day =>
            {
                var hours = new long?[(int)Math.Round((day.End - day.Start).TotalHours)];
                for (var i = 0; i < hours.Length; i++)
                {
                    hours[i] = covered.Contains((line.Key.Camera, day.Start.AddHours(i).UtcTicks)) ? 0 : null;
                }

                foreach (var row in line.Where(r => r.BucketStart >= day.Start && r.BucketStart < day.End))
                {
                    var slot = (int)((row.BucketStart - day.Start).Ticks / TimeSpan.TicksPerHour);
                    hours[slot] = (hours[slot] ?? 0) + row.Count; // classes of one line and direction add up
                }

                return (day, hours);
            }).ToList();

            var busiest = perDay.SelectMany(d => d.hours).Max() ?? 0;
            foreach (var (day, hours) in perDay)
            {
                result.Add(new CountChartRow(
                    line.Key.Camera, line.Key.Target, line.Key.Direction, day.IsToday, TimeZoneInfo.ConvertTime(day.Start, zone), hours, Bars(hours, busiest)));
            }
        }

        return result;
    }

    /// <summary>A row of local hour marks (0, 6, 12, 18) over the slots of the day starting at <paramref name="dayStart"/>.</summary>
    public static string HourAxis(DateTimeOffset dayStart, TimeZoneInfo zone)
    {
        var next = Days(dayStart, zone).Tomorrow;
        var axis = new char[(int)Math.Round((next - dayStart).TotalHours)];
        Array.Fill(axis, ' ');
        var lastMark = -1;
        for (var i = 0; i < axis.Length; i++)
        {
            var hour = TimeZoneInfo.ConvertTime(dayStart.AddHours(i), zone).Hour;
            var text = hour.ToString(CultureInfo.InvariantCulture);
            if (hour % 6 == 0 && i > lastMark && i + text.Length <= axis.Length)
            {
                text.CopyTo(0, axis, i, text.Length);
                lastMark = i + text.Length;
            }
        }

        return new string(axis);
    }

    /// <summary>Plain lines of today's rows: the day's total and each hour with a count (a repeated DST hour with its offset).</summary>
    public static IEnumerable<string> PlainToday(IReadOnlyList<CountChartRow> rows, TimeZoneInfo zone)
    {
        foreach (var row in rows.Where(r => r.IsToday))
        {
            var hours = row.Hours
                .Select((count, i) => (count, start: TimeZoneInfo.ConvertTime(row.DayStart.AddHours(i), zone)))
                .Where(h => h.count > 0)
                .Select(h => string.Create(CultureInfo.InvariantCulture, $"{h.start:HH:mm}{(zone.IsAmbiguousTime(h.start) ? h.start.ToString("zzz", CultureInfo.InvariantCulture) : string.Empty)} {h.count}"));
            yield return string.Create(CultureInfo.InvariantCulture, $"{row.Label}: total {row.Total} ({string.Join(", ", hours)})");
        }
    }

    private static string Bars(long?[] hours, long busiest) => string.Create(hours.Length, (hours, busiest), static (span, state) =>
    {
        for (var i = 0; i < span.Length; i++)
        {
            span[i] = state.hours[i] switch
            {
                null => Gap,
                0 => Zero,
                { } count => Levels[(int)Math.Clamp(((count * Levels.Length) + state.busiest - 1) / state.busiest - 1, 0, Levels.Length - 1)],
            };
        }
    });
}
