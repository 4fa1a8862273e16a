using HgCounter.Counting;
using HgCounter.Inference.Counting;
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

    [RealModelFact]
    public void Pipeline_VtestWithRealModel_CountsTheCrossingsNotedByEyeWithinOneSecond()
    {
        File.Exists(VtestRealModelRun.VideoPath).Should().BeTrue("Debian's opencv-doc package provides the footage");
        var count = run.Ungated!;
        count.Frames.Should().Be(795);
        var labels = VtestCrossingLabel.Load();
        var match = TimedCrossingMatch.Compare(labels, count.Crossings, VtestRealModelRun.FramesPerSecond, ToleranceSeconds);

        foreach (var c in count.Crossings)
        {
            output.WriteLine($"counted {c.Line} {c.Direction} {c.FrameSequence / VtestRealModelRun.FramesPerSecond:0.0} s (frame {c.FrameSequence}, track {c.TrackId})");
        }

        foreach (var (l, c) in match.Matched)
        {
            output.WriteLine($"matched {l.Line} {l.Direction} label {l.Seconds:0.0} s, counted {c.FrameSequence / VtestRealModelRun.FramesPerSecond:0.0} s");
        }

        foreach (var l in match.Missed)
        {
            output.WriteLine($"missed {l.Line} {l.Direction} {l.Seconds:0.0} s{(l.Certain ? "" : " (uncertain)")}: {l.Note}");
        }

        foreach (var c in match.Extra)
        {
            output.WriteLine($"extra {c.Line} {c.Direction} {c.FrameSequence / VtestRealModelRun.FramesPerSecond:0.0} s (track {c.TrackId})");
        }
    }
}
