using HgCounter.Status;
using Spectre.Console;
using Spectre.Console.Rendering;

namespace HgCounter.ConsoleSample;

/// <summary>The live view's chart: today's and yesterday's counts per hour as block rows, or the live totals before any history.</summary>
internal static class CountChartPanel
{
    public static IRenderable Render(IReadOnlyList<CountChartRow> rows, TimeZoneInfo zone, StatusSnapshot status)
    {
        if (rows.Count == 0)
        {
            var totals = status.Cameras.SelectMany(c => c.Lines.Select(l => $"{Markup.Escape(c.Name)} {Markup.Escape(l.Line)}: [green]{l.In}[/] in / [yellow]{l.Out}[/] out"));
            return new Markup($"[grey]Counts per hour: no history yet · live totals:[/] {string.Join(" · ", totals.DefaultIfEmpty("[grey]none[/]"))}");
        }

        var today = rows.First(r => r.IsToday).DayStart;
        var chart = new Table().Border(TableBorder.Rounded)
            .Title($"Counts per hour · {Markup.Escape(zone.Id)} · today {today:yyyy-MM-dd} and yesterday")
            .AddColumn("Line").AddColumn("Day").AddColumn(new TableColumn(ConsoleCountChart.HourAxis(today, zone)).NoWrap()).AddColumn(new TableColumn("Total").RightAligned());
        foreach (var row in rows)
        {
            var colour = row.IsToday ? "green" : "grey";
            chart.AddRow(
                new Markup(row.IsToday ? Markup.Escape(row.Label) : string.Empty),
                new Markup($"[{colour}]{(row.IsToday ? "today" : "yesterday")}[/]"),
                new Markup($"[{colour}]{row.Bars}[/]"),
                new Markup($"[{colour}]{row.Total}[/]"));
        }

        return chart;
    }
}
