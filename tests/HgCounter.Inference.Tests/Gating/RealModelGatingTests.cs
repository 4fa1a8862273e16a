using HgCounter.Configuration;
using HgCounter.Detection;
using HgCounter.Inference.Detectors;
using HgCounter.Rtsp.Ffmpeg;
using HgCounter.Rtsp.Sources;
using HgCounter.Testing;
using Xunit.Abstractions;

namespace HgCounter.Inference.Tests.Gating;

/// <summary>
/// The real COCO YOLOv8n (../shared/models) on real pedestrian footage (OpenCV's vtest.avi, 795 frames), counted with
/// motion gating on and off through the shared scheduler, frames pipelined as the agent runs them.
/// </summary>
public sealed class RealModelGatingTests(ITestOutputHelper output)
{
    private const string VideoPath = "/usr/share/doc/opencv-doc/examples/data/vtest.avi";

    private static LineOptions[] Lines() =>
    [
        new() { Name = "path", Start = [480, 100], End = [480, 576] },   // right of the lamp post
        new() { Name = "left", Start = [250, 100], End = [250, 576] },   // the left half of the footpath
    ];

    [RealModelFact]
    public async Task Gating_VtestWithRealModel_CountsWithinOneOfUngatedOnTwoLines()
    {
        File.Exists(VideoPath).Should().BeTrue("Debian's opencv-doc package provides the footage");
        var (ungated, ungatedRuns) = await CountAsync(gated: false);
        var (gated, gatedRuns) = await CountAsync(gated: true);

        output.WriteLine($"ungated: {Describe(ungated)}, {ungatedRuns} model runs; gated: {Describe(gated)}, {gatedRuns} model runs");
        ungatedRuns.Should().Be(795, "without gating every frame is one full-frame run");
        gatedRuns.Should().BeLessThan(ungatedRuns, "crops of several frames share a run");
        foreach (var line in Lines())
        {
            var (a, b) = (ungated[line.Name], gated[line.Name]);
            (a.In + a.Out).Should().BeGreaterThan(5, $"people cross line {line.Name}");
            Math.Abs(a.In - b.In).Should().BeLessThanOrEqualTo(1, $"In at {line.Name}: ungated {a.In}, gated {b.In}");
            Math.Abs(a.Out - b.Out).Should().BeLessThanOrEqualTo(1, $"Out at {line.Name}: ungated {a.Out}, gated {b.Out}");
        }
    }

    private static string Describe(Dictionary<string, (long In, long Out)> counts) =>
        string.Join(", ", counts.Select(kv => $"{kv.Key} In {kv.Value.In} Out {kv.Value.Out}"));

    private static async Task<(Dictionary<string, (long In, long Out)> Counts, long Runs)> CountAsync(bool gated)
    {
        var options = new OnnxDetectorOptions { ModelPath = RealModel.Path, IntraOpThreads = 1 };
        options.Classes.Add("person");
        options.Gating.Enabled = gated;
        using var factory = new OnnxDetectorFactory(options);
        var source = new FrameSourceOptions { CameraName = "vtest", Url = VideoPath, Realtime = false };
        using var camera = new PipelinedCamera((IPipelinedDetector)factory.Create("vtest"), () => new FfmpegFrameSource(source), Lines());
        await camera.RunAsync();
        camera.Frames.Should().Be(795);
        return (Lines().ToDictionary(l => l.Name, l => camera.Counts(l.Name)), factory.InferenceRuns);
    }
}
