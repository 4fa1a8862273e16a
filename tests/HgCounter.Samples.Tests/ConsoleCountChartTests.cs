using System.Globalization;
using System.Text.RegularExpressions;
using HgCounter.ConsoleSample;
using HgCounter.Rtsp.Synthetic;
using HgCounter.Runtime;
using HgCounter.Testing;

namespace HgCounter.Samples.Tests;

/// <summary>
/// The console chart's rows from hourly history rows, in Europe/Berlin (a 25-hour day, local midnight), and the hourly
/// summary the real console sample prints at exit.
/// </summary>
public class ConsoleCountChartTests
{
    private static readonly TimeZoneInfo Berlin = TimeZoneInfo.FindSystemTimeZoneById("Europe/Berlin");

    [Fact]
    public async Task Run_SceneWithKnownTruth_FinalHourlySummaryAddsUpToTheExpectedCounts()
    {
        // A zone whose local day is not about to end: the summary is of today, and the run must not straddle midnight.
        var zone = new[] { "Europe/Berlin", "America/New_York", "Asia/Tokyo" }
            .Select(TimeZoneInfo.FindSystemTimeZoneById)
            .First(z => TimeZoneInfo.ConvertTime(DateTimeOffset.UtcNow, z).Hour is >= 1 and <= 21);
        var work = TestPaths.NewTempDirectory();
        var config = SampleConfig.Write(work, "cams.json", new
        {
            DataDirectory = Path.Combine(work, "data"),
            TimeZone = zone.Id,
            Cameras = new[] { SampleConfig.SceneCamera("cam1", "cross-both-ways") },
        });

        await using var sample = SampleProcess.Start("HgCounter.ConsoleSample", work, "--config", config);
        (await sample.WaitForExitAsync(TimeSpan.FromSeconds(120))).Should().Be(0, sample.Output);

        var expected = SyntheticScenes.Get("cross-both-ways").ExpectedCount("door");
        expected.In.Should().BePositive("the scene crosses the door both ways");
        expected.Out.Should().BePositive("the scene crosses the door both ways");
        sample.Output.Should().Contain($"Today's counts per hour ({zone.Id}, ");
        Total(sample.Output, "in").Should().Be(expected.In, sample.Output);
        Total(sample.Output, "out").Should().Be(expected.Out, sample.Output);
    }

    [Fact]
    public void Rows_BerlinDayClocksGoBack_TodayHasTwentyFiveHoursAndTheRepeatedHourTwice()
    {
        // 2026-10-25, last Sunday of October: 03:00 CEST becomes 02:00 CET, so 02:00-03:00 local happens twice.
        var now = Time("2026-10-25T15:00+01:00");
        var history = new[]
        {
            Row("2026-10-25T02:00+02:00", "door", "In", 3),
            Row("2026-10-25T02:00+01:00", "door", "In", 5),
            Row("2026-10-25T14:00+01:00", "door", "In", 1),
            Row("2026-10-25T10:00+01:00", string.Empty, string.Empty, 0), // counting, nothing crossed
            Row("2026-10-24T09:00+02:00", "door", "In", 2),
        };

        var rows = ConsoleCountChart.Rows(history, Berlin, now);

        rows.Select(r => (r.Label, r.IsToday)).Should().Equal(("cam1 door in", true), ("cam1 door in", false));
        var today = rows[0];
        today.Hours.Should().HaveCount(25);
        (today.Hours[2], today.Hours[3], today.Hours[11], today.Hours[15]).Should().Be((3L, 5L, 0L, 1L));
        today.Total.Should().Be(9);
        today.Bars.Should().HaveLength(25);
        (today.Bars[2], today.Bars[3], today.Bars[11], today.Bars[15], today.Bars[0]).Should().Be(('▅', '█', '·', '▂', ' '));
        rows[1].Hours.Should().HaveCount(24);
        (rows[1].Hours[9], rows[1].Total).Should().Be((2L, 2L));
        ConsoleCountChart.HourAxis(today.DayStart, Berlin)[7].Should().Be('6', "06:00 CET is the 8th hour of a day that repeats 02:00");
        ConsoleCountChart.PlainToday(rows, Berlin).Should().Equal("cam1 door in: total 9 (02:00+02:00 3, 02:00+01:00 5, 14:00 1)");
    }

    [Fact]
    public void Rows_CountsEitherSideOfLocalMidnight_SplitIntoTodayAndYesterday()
    {
        // 23:30 UTC on 3 December is already 4 December in Berlin: both buckets share a UTC date, not a local one.
        var now = Time("2026-12-03T23:30Z");
        var history = new[]
        {
            Row("2026-12-02T23:00+01:00", "door", "Out", 7), // the day before yesterday: not charted
            Row("2026-12-03T23:00+01:00", "door", "Out", 4),
            Row("2026-12-04T00:00+01:00", "door", "Out", 2),
            Row("2026-12-04T00:00+01:00", "door", "In", 1),
        };

        var rows = ConsoleCountChart.Rows(history, Berlin, now);

        rows.Select(r => (r.Label, r.IsToday, r.Total)).Should().Equal(
            ("cam1 door in", true, 1L), ("cam1 door in", false, 0L), ("cam1 door out", true, 2L), ("cam1 door out", false, 4L));
        rows[2].Hours[0].Should().Be(2);
        rows[3].Hours[23].Should().Be(4);
        rows[1].Hours[23].Should().Be(0, "the camera was counting at 23:00 and nobody went in");
        rows[1].Hours.Take(23).Should().AllSatisfy(h => h.Should().BeNull("a gap is not a zero: the camera was not counting then"));
        ConsoleCountChart.PlainToday(rows, Berlin).Should().Equal("cam1 door in: total 1 (00:00 1)", "cam1 door out: total 2 (00:00 2)");
    }

    [Fact]
    public void Rows_TwoClassesOnOneLine_AddUpInOneRow()
    {
        var now = Time("2026-12-04T12:00+01:00");
        var history = new[] { Row("2026-12-04T09:00+01:00", "door", "In", 2, "person"), Row("2026-12-04T09:00+01:00", "door", "In", 3, "dog") };

        var today = ConsoleCountChart.Rows(history, Berlin, now)[0];

        (today.Hours[9], today.Total).Should().Be((5L, 5L));
    }

    [Fact]
    public void Rows_OnlyCoverageNoCrossings_NoRowsSoTheLiveTotalsShow()
    {
        var now = Time("2026-12-04T12:00+01:00");

        ConsoleCountChart.Rows([Row("2026-12-04T09:00+01:00", string.Empty, string.Empty, 0)], Berlin, now).Should().BeEmpty();
    }

    // "  cam1 door in: total 1 (21:00 1)": the total, checked against the hours it lists.
    private static long Total(string output, string direction)
    {
        var match = Regex.Match(output, $@"^  cam1 door {direction}: total (\d+) \((.*)\)$", RegexOptions.Multiline);
        match.Success.Should().BeTrue($"the summary has a '{direction}' row for the door:\n{output}");
        var hours = match.Groups[2].Value.Split(", ").Sum(h => long.Parse(h[(h.LastIndexOf(' ') + 1)..], CultureInfo.InvariantCulture));
        var total = long.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture);
        hours.Should().Be(total, "the hours add up to the day's total");
        return total;
    }

    private static DateTimeOffset Time(string text) => DateTimeOffset.Parse(text, CultureInfo.InvariantCulture);

    private static CountHistoryRow Row(string start, string target, string direction, long count, string label = "person") =>
        new(Time(start), "cam1", target, direction, target.Length == 0 ? string.Empty : label, count, 3600);
}
