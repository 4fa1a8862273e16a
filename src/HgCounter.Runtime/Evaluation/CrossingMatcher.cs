using HgCounter.Counting;

namespace HgCounter.Runtime.Evaluation;

/// <summary>
/// Pairs counted crossings with true ones of one line and direction: closest pairs first, each crossing used once, pairs
/// further apart than the tolerance not at all. What is left over is missed (truth) or extra (counted).
/// </summary>
internal static class CrossingMatcher
{
    public static LineAccuracy Compare(string camera, string line, IReadOnlyList<EvaluatedCrossing> truth, IReadOnlyList<EvaluatedCrossing> counted, int tolerance)
    {
        var matched = new List<MatchedCrossing>();
        var missed = new List<EvaluatedCrossing>();
        var extra = new List<EvaluatedCrossing>();
        foreach (var direction in (CrossingDirection[])[CrossingDirection.In, CrossingDirection.Out])
        {
            var t = truth.Where(c => c.Direction == direction).ToArray();
            var c = counted.Where(c => c.Direction == direction).ToArray();
            var usedTruth = new bool[t.Length];
            var usedCounted = new bool[c.Length];
            var pairs = from i in Enumerable.Range(0, t.Length)
                        from j in Enumerable.Range(0, c.Length)
                        let gap = Math.Abs(t[i].Frame - c[j].Frame)
                        where gap <= tolerance
                        orderby gap, t[i].Frame, c[j].Frame
                        select (i, j);
            foreach (var (i, j) in pairs)
            {
                if (!usedTruth[i] && !usedCounted[j])
                {
                    usedTruth[i] = usedCounted[j] = true;
                    matched.Add(new MatchedCrossing(direction, t[i].Frame, c[j].Frame, t[i].Id, c[j].Id));
                }
            }

            missed.AddRange(t.Where((_, i) => !usedTruth[i]));
            extra.AddRange(c.Where((_, j) => !usedCounted[j]));
        }

        var truthCount = Count(truth);
        var countedCount = Count(counted);
        var error = new DirectionCount(Math.Abs(countedCount.In - truthCount.In), Math.Abs(countedCount.Out - truthCount.Out));
        return new LineAccuracy(
            camera,
            line,
            truthCount,
            countedCount,
            error,
            new RelativeError(Ratio(error.In, truthCount.In), Ratio(error.Out, truthCount.Out)),
            [.. matched.OrderBy(m => m.TruthFrame)],
            [.. missed.OrderBy(m => m.Frame)],
            [.. extra.OrderBy(m => m.Frame)]);
    }

    private static DirectionCount Count(IReadOnlyList<EvaluatedCrossing> crossings) =>
        new(crossings.Count(c => c.Direction == CrossingDirection.In), crossings.Count(c => c.Direction == CrossingDirection.Out));

    private static double? Ratio(long error, long truth) => truth == 0 ? null : (double)error / truth;
}
