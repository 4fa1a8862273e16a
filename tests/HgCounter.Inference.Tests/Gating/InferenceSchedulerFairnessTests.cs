using HgCounter.Configuration;
using HgCounter.Detection;
using HgCounter.Frames;
using HgCounter.Inference.Detectors;
using HgCounter.Inference.Tests.Detectors;

namespace HgCounter.Inference.Tests.Gating;

/// <summary>The shared scheduler serves cameras in turn: a camera with many frames queued cannot starve another.</summary>
public sealed class InferenceSchedulerFairnessTests
{
    [Fact]
    public async Task Scheduler_BusyCameraWithSixteenFramesQueued_OtherCameraIsServedNext()
    {
        var options = new OnnxDetectorOptions { ModelPath = SyntheticScene.V8ModelPath, InferenceWorkers = 1, MaxFramesInFlight = 16 };
        options.Gating.Enabled = false;
        using var factory = new OnnxDetectorFactory(options);
        using var busy = (IPipelinedDetector)factory.Create("busy");
        using var quiet = (GatedYoloDetector)factory.Create("quiet");
        using var frame = SyntheticScene.Create(640, 360);
        SyntheticScene.Fill(frame, 100, 100, 32, 64, SyntheticScene.Person);

        // The busy camera keeps 16 frames queued for 200 frames.
        // Frames run, counted by the scheduler's worker itself (not when this test gets round to awaiting them).
        var scheduler = factory.GetScheduler();
        Task Submit(List<ObjectDetection> list) => busy.DetectAsync(frame, list).AsTask();

        var queued = new Queue<(List<ObjectDetection> List, Task Pending)>();
        for (var i = 0; i < 16; i++)
        {
            var list = new List<ObjectDetection>();
            queued.Enqueue((list, Submit(list)));
        }

        var waits = new List<int>();
        var quietList = new List<ObjectDetection>();
        for (var i = 0; i < 200; i++)
        {
            if (i % 20 == 10)
            {
                // The quiet camera asks once while the busy one has a full queue.
                var before = scheduler.FramesRun;
                await quiet.DetectAsync(frame, quietList);
                // Read where the scheduler served it: the busy frames run while this test's continuation was still
                // waiting for a thread do not count against the scheduler.
                waits.Add((int)(quiet.LastServedAt - before - 1)); // less the quiet camera's own frame
                quietList.Should().ContainSingle(d => d.Label == "person");
            }

            var (list, pending) = queued.Dequeue();
            await pending;
            list.Should().ContainSingle(d => d.Label == "person");
            queued.Enqueue((list, Submit(list)));
        }

        while (queued.Count > 0)
        {
            await queued.Dequeue().Pending;
        }

        // In turn: the run in progress may finish first, then the quiet camera is next. First come, first served would
        // let up to 16 of the busy camera's frames go first.
        waits.Should().HaveCount(10).And.OnlyContain(w => w <= 2, $"frames of the busy camera served while the quiet one waited: {string.Join(", ", waits)}");
    }
}
