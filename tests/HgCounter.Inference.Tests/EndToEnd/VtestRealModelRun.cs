using HgCounter.Configuration;
using HgCounter.Detection;
using HgCounter.Inference.Counting;
using HgCounter.Inference.Detectors;
using HgCounter.Inference.Tests.Gating;
using HgCounter.Rtsp.Ffmpeg;
using HgCounter.Rtsp.Sources;
using HgCounter.Testing;

namespace HgCounter.Inference.Tests.EndToEnd;

/// <summary>
/// The real COCO YOLOv8n (../shared/models) counting OpenCV's vtest.avi on its two lines, every frame, as the agent
/// pipelines frames. The ungated pass costs minutes on two cores, so it runs once for the whole collection.
/// </summary>
public sealed class VtestRealModelRun : IAsyncLifetime
{
    public const string VideoPath = "/usr/share/doc/opencv-doc/examples/data/vtest.avi";

    public const double FramesPerSecond = 10;

    /// <summary>The ungated pass; null when the model or the footage is absent (the tests then skip or fail first).</summary>
    public VtestCount? Ungated { get; private set; }

    public static LineOptions[] Lines() =>
    [
        new() { Name = "path", Start = [480, 100], End = [480, 576] },   // right of the lamp post
        new() { Name = "left", Start = [250, 100], End = [250, 576] },   // the left half of the footpath
    ];

    public async Task InitializeAsync()
    {
        if (RealModel.IsPresent && File.Exists(VideoPath))
        {
            Ungated = await CountAsync(gated: false, detectionScale: 1);
        }
    }

    public Task DisposeAsync() => Task.CompletedTask;

    public static async Task<VtestCount> CountAsync(bool gated, double detectionScale)
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
        return new VtestCount(
            camera.Frames,
            Lines().ToDictionary(l => l.Name, l => camera.Counts(l.Name)),
            factory.InferenceRuns,
            [.. camera.Crossings]);
    }
}
