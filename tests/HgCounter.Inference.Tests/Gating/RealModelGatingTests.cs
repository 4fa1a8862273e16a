using HgCounter.Inference.Tests.EndToEnd;
using HgCounter.Testing;
using Xunit.Abstractions;

namespace HgCounter.Inference.Tests.Gating;

/// <summary>
/// The real COCO YOLOv8n (../shared/models) on real pedestrian footage (OpenCV's vtest.avi, 795 frames), counted with
/// motion gating on and off, and at half detection scale, through the shared scheduler, frames pipelined as the agent
/// runs them.
/// </summary>
[Collection(VtestRealModelGroup.Name)]
public sealed class RealModelGatingTests(VtestRealModelRun run, ITestOutputHelper output)
{
    [RealModelFact]
    public async Task Gating_VtestWithRealModel_CountsWithinOneOfUngatedOnTwoLines()
    {
        File.Exists(VtestRealModelRun.VideoPath).Should().BeTrue("Debian's opencv-doc package provides the footage");
        // The ungated pass is shared with the crossing-by-crossing test of the same footage.
        var (ungated, ungatedRuns) = Counts(run.Ungated!);
        var (gated, gatedRuns) = Counts(await VtestRealModelRun.CountAsync(gated: true, detectionScale: 1));
        var (half, halfRuns) = Counts(await VtestRealModelRun.CountAsync(gated: true, detectionScale: 0.5));
        output.WriteLine($"ungated: {Describe(ungated)}, {ungatedRuns} model runs");
        output.WriteLine($"gated: {Describe(gated)}, {gatedRuns} model runs");
        output.WriteLine($"gated at detection scale 0.5: {Describe(half)}, {halfRuns} model runs");
        ungatedRuns.Should().Be(795, "without gating every frame is one full-frame run");
        gatedRuns.Should().BeLessThan(ungatedRuns, "frames whose crops are small share a run");
        halfRuns.Should().BeLessThan(gatedRuns, "at half size several frames fit one model input");
        foreach (var line in VtestRealModelRun.Lines())
        {
            var baseline = ungated[line.Name];
            (baseline.In + baseline.Out).Should().BeGreaterThan(5, $"people cross line {line.Name}");
            ShouldBeWithinOne(baseline, gated[line.Name], $"gated at {line.Name}");
            ShouldBeWithinOne(baseline, half[line.Name], $"gated at scale 0.5 at {line.Name}");
        }
    }

    private static void ShouldBeWithinOne((long In, long Out) baseline, (long In, long Out) actual, string what)
    {
        Math.Abs(baseline.In - actual.In).Should().BeLessThanOrEqualTo(1, $"In {what}: ungated {baseline.In}, got {actual.In}");
        Math.Abs(baseline.Out - actual.Out).Should().BeLessThanOrEqualTo(1, $"Out {what}: ungated {baseline.Out}, got {actual.Out}");
    }

    private static string Describe(Dictionary<string, (long In, long Out)> counts) =>
        string.Join(", ", counts.Select(kv => $"{kv.Key} In {kv.Value.In} Out {kv.Value.Out}"));

    private static (Dictionary<string, (long In, long Out)> Counts, long Runs) Counts(VtestCount count)
    {
        count.Frames.Should().Be(795);
        return (count.Counts, count.InferenceRuns);
    }
}
