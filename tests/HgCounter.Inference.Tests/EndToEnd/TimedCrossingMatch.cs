using HgCounter.Inference.Counting;

namespace HgCounter.Inference.Tests.EndToEnd;

/// <summary>
/// Labelled and counted crossings of one video paired by time, as `evaluate` pairs them: per line and direction,
/// closest first, each used once, when at most the tolerance apart. Unpaired labels are missed, unpaired counts extra.
/// </summary>
internal sealed record TimedCrossingMatch(
    IReadOnlyList<(VtestCrossingLabel Label, LineCrossing Counted)> Matched,
    IReadOnlyList<VtestCrossingLabel> Missed,
    IReadOnlyList<LineCrossing> Extra)
{
    public static TimedCrossingMatch Compare(IReadOnlyList<VtestCrossingLabel> labels, IReadOnlyList<LineCrossing> counted, double framesPerSecond, double toleranceSeconds)
    {
        double Seconds(LineCrossing c) => c.FrameSequence / framesPerSecond;
        var candidates =
            from l in labels.Select((label, index) => (label, index))
            from c in counted.Select((crossing, index) => (crossing, index))
            where l.label.Line == c.crossing.Line && l.label.Direction == c.crossing.Direction
            let gap = Math.Abs(l.label.Seconds - Seconds(c.crossing))
            where gap <= toleranceSeconds + 1e-9
            orderby gap
            select (l, c);
        var usedLabels = new HashSet<int>();
        var usedCounts = new HashSet<int>();
        var matched = new List<(VtestCrossingLabel, LineCrossing)>();
        foreach (var (l, c) in candidates)
        {
            if (!usedLabels.Contains(l.index) && !usedCounts.Contains(c.index))
            {
                usedLabels.Add(l.index);
                usedCounts.Add(c.index);
                matched.Add((l.label, c.crossing));
            }
        }

        return new TimedCrossingMatch(
            matched,
            [.. labels.Where((_, i) => !usedLabels.Contains(i))],
            [.. counted.Where((_, i) => !usedCounts.Contains(i))]);
    }
}
