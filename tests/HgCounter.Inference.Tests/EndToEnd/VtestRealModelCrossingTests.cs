using HgCounter.Counting;
using HgCounter.Testing;
using Xunit.Abstractions;

namespace HgCounter.Inference.Tests.EndToEnd;

/// <summary>
/// The real COCO YOLOv8n on OpenCV's vtest.avi, every frame, on the two lines of docs/accuracy.md, checked crossing by
/// crossing against the crossings noted by eye (vtest-crossings.csv): same line, same direction, within one second.
/// </summary>
[Collection(VtestRealModelGroup.Name)]
public sealed class VtestRealModelCrossingTests(VtestRealModelRun run, ITestOutputHelper output)
{
    private const double ToleranceSeconds = 1;

    // Measured: 1 missed (one of two path Outs at 52.3-52.4 s: a woman hidden behind the man beside her as they cross,
    // counted as one person), 0 extra, no line
    // and direction off by more than 1. One more of each is allowed: an int8 model can flip a borderline detection on
    // another CPU's instruction set; more than that is a regression in detection, tracking or counting.
    private const int MaxMissed = 2;
    private const int MaxExtra = 1;
    private const int MaxTotalError = 2;

    [RealModelFact]
    public void Pipeline_VtestWithRealModel_CountsTheCrossingsNotedByEyeWithinOneSecond()
    {
        File.Exists(VtestRealModelRun.VideoPath).Should().BeTrue("Debian's opencv-doc package provides the footage");
        var count = run.Ungated!;
        count.Frames.Should().Be(795);
        var labels = VtestCrossingLabel.Load();
        var match = TimedCrossingMatch.Compare(labels, count.Crossings, VtestRealModelRun.FramesPerSecond, ToleranceSeconds);
        Report(labels, count, match);

        var missed = match.Missed.Where(l => l.Certain).ToList();
        missed.Count.Should().BeLessThanOrEqualTo(MaxMissed, $"crossings seen by eye were not counted within 1 s: {string.Join("; ", missed.Select(Describe))}");
        match.Extra.Count.Should().BeLessThanOrEqualTo(MaxExtra, $"counts with no crossing seen by eye within 1 s: {string.Join("; ", match.Extra.Select(c => $"{c.Line} {c.Direction} {Seconds(c.FrameSequence):0.0} s"))}");
        foreach (var line in VtestRealModelRun.Lines())
        {
            foreach (var direction in new[] { CrossingDirection.In, CrossingDirection.Out })
            {
                var truth = labels.Count(l => l.Line == line.Name && l.Direction == direction);
                var counted = count.Crossings.Count(c => c.Line == line.Name && c.Direction == direction);
                Math.Abs(counted - truth).Should().BeLessThanOrEqualTo(MaxTotalError, $"{line.Name} {direction}: {truth} by eye, {counted} counted");
            }
        }
    }

    private void Report(IReadOnlyList<VtestCrossingLabel> labels, VtestCount count, TimedCrossingMatch match)
    {
        foreach (var line in VtestRealModelRun.Lines())
        {
            foreach (var direction in new[] { CrossingDirection.In, CrossingDirection.Out })
            {
                bool Same(string l, CrossingDirection d) => l == line.Name && d == direction;
                output.WriteLine($"{line.Name} {direction}: truth {labels.Count(l => Same(l.Line, l.Direction))}, counted {count.Crossings.Count(c => Same(c.Line, c.Direction))}, " +
                    $"matched {match.Matched.Count(m => Same(m.Label.Line, m.Label.Direction))}, missed {match.Missed.Count(l => Same(l.Line, l.Direction))}, extra {match.Extra.Count(c => Same(c.Line, c.Direction))}");
            }
        }

        foreach (var (label, counted) in match.Matched)
        {
            output.WriteLine($"matched {label.Line} {label.Direction} {label.Seconds:0.0} s by eye, counted {Seconds(counted.FrameSequence):0.0} s (track {counted.TrackId})");
        }

        foreach (var label in match.Missed)
        {
            output.WriteLine($"missed {Describe(label)}");
        }

        foreach (var counted in match.Extra)
        {
            output.WriteLine($"extra {counted.Line} {counted.Direction} {Seconds(counted.FrameSequence):0.0} s (track {counted.TrackId})");
        }
    }

    private static double Seconds(long frame) => frame / VtestRealModelRun.FramesPerSecond;

    private static string Describe(VtestCrossingLabel label) =>
        $"{label.Line} {label.Direction} {label.Seconds:0.0} s{(label.Certain ? "" : " (uncertain)")}: {label.Note}";
}
