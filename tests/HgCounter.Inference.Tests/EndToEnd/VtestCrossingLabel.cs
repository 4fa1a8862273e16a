using System.Globalization;
using HgCounter.Counting;

namespace HgCounter.Inference.Tests.EndToEnd;

/// <summary>One crossing of vtest.avi noted by eye (vtest-crossings.csv): line, direction, time, whether it is certain.</summary>
internal sealed record VtestCrossingLabel(string Line, CrossingDirection Direction, double Seconds, bool Certain, string Note)
{
    public const string FileName = "vtest-crossings.csv";

    /// <summary>Reads the labels copied beside the test assembly; '#' lines are comments, the first other line the header.</summary>
    public static IReadOnlyList<VtestCrossingLabel> Load()
    {
        var path = Path.Combine(AppContext.BaseDirectory, "EndToEnd", FileName);
        var rows = File.ReadLines(path).Where(l => l.Length > 0 && !l.StartsWith('#')).Skip(1);
        return [.. rows.Select(Parse)];
    }

    private static VtestCrossingLabel Parse(string row)
    {
        var cells = row.Split(',', 5);
        return new VtestCrossingLabel(
            cells[0],
            Enum.Parse<CrossingDirection>(cells[1], ignoreCase: true),
            double.Parse(cells[2], CultureInfo.InvariantCulture),
            bool.Parse(cells[3]),
            cells[4]);
    }
}
