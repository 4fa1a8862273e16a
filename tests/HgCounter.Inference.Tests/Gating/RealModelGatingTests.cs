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
/// motion gating on and off, and at half detection scale, through the shared scheduler, frames pipelined as the agent
/// runs them.
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
        var (ungated, ungatedRuns) = await CountAsync(gated: false, detectionScale: 1);
        var (gated, gatedRuns) = await CountAsync(gated: true, detectionScale: 1);
        var (half, halfRuns) = await CountAsync(gated: true, detectionScale: 0.5);

        output.WriteLine($"ungated: {Describe(ungated)}, {ungatedRuns} model runs");
        output.WriteLine($"gated: {Describe(gated)}, {gatedRuns} model runs");
        output.WriteLine($"gated at detection scale 0.5: {Describe(half)}, {halfRuns} model runs");
        ungatedRuns.Should().Be(795, "without gating every frame is one full-frame run");
        gatedRuns.Should().BeLessThan(ungatedRuns, "frames whose crops are small share a run");
        halfRuns.Should().BeLessThan(gatedRuns, "at half size several frames fit one model input");
        foreach (var line in Lines())
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

    private static async Task<(Dictionary<string, (long In, long Out)> Counts, long Runs)> CountAsync(bool gated, double detectionScale)
    {
        // One worker with six frames in flight: the queue always holds frames to pack, as with several cameras.
        var options = new OnnxDetectorOptions { ModelPath = RealModel.Path, IntraOpThreads = 1, InferenceWorkers = 1, MaxFramesInFlight = 6, DetectionScale = detectionScale };
        options.Classes.Add("person");
        options.Gating.Enabled = gated;
        using var factory = new OnnxDetectorFactory(options);
        // Opening a local file is not what is measured: while other real-model tests load both cores, ffmpeg's probe
        // can take longer than a camera's 10 s default.
        var source = new FrameSourceOptions { CameraName = "vtest", Url = VideoPath, Realtime = false, OpenTimeout = TimeSpan.FromSeconds(60) };
        using var camera = new PipelinedCamera((IPipelinedDetector)factory.Create("vtest"), () => new FfmpegFrameSource(source), Lines());
        await camera.RunAsync();
        camera.Frames.Should().Be(795);
        return (Lines().ToDictionary(l => l.Name, l => camera.Counts(l.Name)), factory.InferenceRuns);
    }
}
