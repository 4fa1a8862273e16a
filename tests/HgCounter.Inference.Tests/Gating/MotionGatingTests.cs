using HgCounter.Configuration;
using HgCounter.Detection;
using HgCounter.Frames;
using HgCounter.Inference.Detectors;
using HgCounter.Inference.Tests.EndToEnd;
using HgCounter.Rtsp.Synthetic;
using HgCounter.Testing;

namespace HgCounter.Inference.Tests.Gating;

/// <summary>
/// Motion gating through a real ONNX Runtime session (the repo's synthetic model): what the model is asked to look at,
/// counted by its runs, and what the camera gets back.
/// </summary>
public sealed class MotionGatingTests
{
    private const int Width = 640;
    private const int Height = 360;

    [Fact]
    public async Task Gating_NothingMovesFor30Seconds_ModelDoesNotRunOnThoseFrames()
    {
        // A person walks across and out of the picture by frame 70; then 300 frames (30 s at 10 fps) of empty floor.
        var scene = Scene(400, SyntheticObject.Walk(10, 60, 250, 70, 700, 250));
        using var factory = Factory(gated: true);
        using var detector = factory.Create("cam1");
        var runsAtStill = 0L;
        var detections = new List<ObjectDetection>();
        await foreach (var (index, frame) in Frames(scene))
        {
            using (frame)
            {
                detector.Detect(frame, detections);
                if (index == 99)
                {
                    runsAtStill = factory.InferenceRuns;
                    detections.Should().BeEmpty("the person has left");
                }
            }
        }

        runsAtStill.Should().BeGreaterThan(10, "the model ran while the person walked");
        factory.InferenceRuns.Should().Be(runsAtStill, "nothing moved on frames 100 to 399");
    }

    [Fact]
    public async Task Gating_PersonStandsStillFor30Seconds_KeepsTheBoxAndOnlyRechecksIt()
    {
        var scene = Scene(300, new SyntheticObject(SyntheticObjectKind.Person, [new(0, 200, 250), new(299, 200, 250)]));
        using var factory = Factory(gated: true);
        using var detector = factory.Create("cam1");
        var detections = new List<ObjectDetection>();
        var framesWithThePerson = 0;
        await foreach (var (_, frame) in Frames(scene))
        {
            using (frame)
            {
                detector.Detect(frame, detections);
                framesWithThePerson += detections.Count(d => d.Label == "person");
            }
        }

        framesWithThePerson.Should().Be(300, "a still person keeps its box on every frame");
        factory.InferenceRuns.Should().BeInRange(2, 300 / new MotionGatingOptions().RecheckEvery + 1, "only the first frame and the re-checks run the model");
    }

    [Fact]
    public async Task Gating_Off_RunsTheModelOnEveryFrame()
    {
        var scene = Scene(60, SyntheticObject.Walk(0, 60, 250, 59, 500, 250));
        using var factory = Factory(gated: false);
        using var detector = factory.Create("cam1");
        var detections = new List<ObjectDetection>();
        await foreach (var (_, frame) in Frames(scene))
        {
            using (frame)
            {
                detector.Detect(frame, detections);
            }
        }

        factory.InferenceRuns.Should().Be(60);
    }

    [Fact]
    public async Task Scheduler_ThreeCamerasPipelined_PacksSeveralFramesIntoOneRunAndCountsStayExact()
    {
        // One worker for three cameras with three frames in flight each: the queue is rarely empty, so crops of
        // several frames share a run. Each camera must still get its own exact counts.
        var scene = SyntheticScenes.Get("cross-both-ways");
        var options = new OnnxDetectorOptions { ModelPath = CountingPipeline.ModelPath, InferenceWorkers = 1, MaxFramesInFlight = 3 };
        using var factory = new OnnxDetectorFactory(options);
        var cameras = Enumerable.Range(1, 3).Select(i => new PipelinedCamera((IPipelinedDetector)factory.Create($"cam{i}"), scene)).ToArray();
        await Task.WhenAll(cameras.Select(c => Task.Run(c.RunAsync)));

        foreach (var camera in cameras)
        {
            camera.Counts().Should().Be((1L, 1L));
            camera.Dispose();
        }

        var scheduler = factory.GetScheduler();
        scheduler.FramesRun.Should().BeGreaterThan(scheduler.RunCount, "crops of several frames were packed into one model input");
    }

    private static OnnxDetectorFactory Factory(bool gated)
    {
        var options = new OnnxDetectorOptions { ModelPath = CountingPipeline.ModelPath };
        options.Gating.Enabled = gated;
        return new OnnxDetectorFactory(options);
    }

    private static SyntheticScene Scene(int frames, params SyntheticObject[] objects) =>
        new("gating", Width, Height, 10, frames, objects, [SyntheticScenes.Door()]);

    private static async IAsyncEnumerable<(int Index, Frame Frame)> Frames(SyntheticScene scene)
    {
        await using var source = new SyntheticFrameSource(scene, "cam1", TimeProvider.System, realtime: false, pool: new FramePool(4));
        await source.OpenAsync(TestContext.Timeout(30));
        var index = 0;
        while (await source.ReadAsync(TestContext.Timeout(30)) is { } frame)
        {
            yield return (index++, frame);
        }
    }
}
