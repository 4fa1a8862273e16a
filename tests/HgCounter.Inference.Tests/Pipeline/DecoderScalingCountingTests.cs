using HgCounter.Configuration;
using HgCounter.Counting;
using HgCounter.Detection;
using HgCounter.Inference.Counting;
using HgCounter.Inference.Detectors;
using HgCounter.Inference.Tracking;
using HgCounter.Rtsp.Ffmpeg;
using HgCounter.Rtsp.Sources;
using HgCounter.Testing;
using Xunit.Abstractions;

namespace HgCounter.Inference.Tests.Pipeline;

/// <summary>
/// A 1280x720 scene read by a real ffmpeg once at full size and once scaled down to the size the detector asks for
/// (640x360), through the real detectors, tracker and counter: lines stay in source pixels and the counts are the same.
/// </summary>
public sealed class DecoderScalingCountingTests(ScaledSceneClips clips, ITestOutputHelper output) : IClassFixture<ScaledSceneClips>
{
    [Theory]
    [InlineData("motion", "cross-both-ways")]
    [InlineData("motion", "side-by-side")]
    [InlineData("motion", "car-crossing")]
    [InlineData("motion", "detection-gap")]
    [InlineData("onnx", "cross-both-ways")]
    [InlineData("onnx", "car-crossing")]
    public async Task Process_DecoderScalesFramesToTheDetectorSize_CountsEqualTheFullSizeRun(string detector, string sceneName)
    {
        var scene = ScaledSceneClips.Scene(sceneName);
        var clip = clips.ClipOf(sceneName);

        var full = await CountAsync(detector, clip, scene.Lines, useDetectorSize: false);
        var scaled = await CountAsync(detector, clip, scene.Lines, useDetectorSize: true);

        output.WriteLine($"full {full.Size}: {Describe(full.Counts)}; scaled {scaled.Size}: {Describe(scaled.Counts)}");
        full.Size.Should().Be((1280, 720));
        scaled.Size.Should().Be((640, 360), "both detectors work at 640 wide at most");
        scaled.Frames.Should().Be(full.Frames).And.Be(scene.FrameCount);
        scaled.Counts.Should().BeEquivalentTo(full.Counts, "boxes are mapped back to the lines' source pixels");
        foreach (var line in scene.Lines)
        {
            var truth = scene.ExpectedCount(line);
            var count = scaled.Counts.Single(c => c.Line == line.Name);
            (count.In, count.Out).Should().Be((truth.In, truth.Out), $"line {line.Name} of {sceneName}");
        }
    }

    private static async Task<(IReadOnlyList<LineCount> Counts, long Frames, (int, int) Size)> CountAsync(string detector, string clip, IEnumerable<LineOptions> lines, bool useDetectorSize)
    {
        using var factory = detector == "onnx" ? new OnnxDetectorFactory(new OnnxDetectorOptions { ModelPath = Path.Combine(TestPaths.RepositoryRoot, "models", "synthetic-yolov8.onnx") }) : null;
        IDetector model = factory?.Create("cam1") ?? new MotionDetector(new MotionDetectorOptions());
        using var pipeline = new CountingPipeline(model, new ByteTracker(), new LineCounter("cam1", lines));
        var camera = new CameraOptions { Name = "cam1", Url = clip, Realtime = false };
        var options = FrameSourceOptions.FromCamera(camera, maxFrameSize: useDetectorSize ? pipeline.PreferredFrameSize : null);
        await using var source = new FfmpegFrameSource(options);
        var info = await source.OpenAsync(TestContext.Timeout());
        var events = new List<LineCrossing>();
        while (await source.ReadAsync(TestContext.Timeout(120)) is { } frame)
        {
            using (frame)
            {
                pipeline.Process(frame, events);
            }
        }

        return (pipeline.GetCounts(), pipeline.FramesProcessed, (info.Width, info.Height));
    }

    private static string Describe(IEnumerable<LineCount> counts) => string.Join(", ", counts.Select(c => $"{c.Line} in {c.In} out {c.Out}"));
}
