using HgCounter.Counting;
using HgCounter.Frames;
using HgCounter.Rtsp.Synthetic;
using HgCounter.Testing;
using Xunit.Abstractions;

namespace HgCounter.Inference.Tests.EndToEnd;

/// <summary>
/// Generated scenes with known ground truth, run through the real detectors (ONNX Runtime on the repo's synthetic YOLOv8
/// model, motion-gated and ungated, and OpenCV MOG2 motion), the tracker and the counter. Counts must be exact.
/// </summary>
public sealed class SyntheticSceneCountingTests(ITestOutputHelper output)
{
    public static TheoryData<string, string, string, long, long> Cases()
    {
        var data = new TheoryData<string, string, string, long, long>();
        foreach (var detector in new[] { "onnx", "onnx-ungated", "motion" })
        {
            data.Add(detector, "cross-both-ways", "door", 1, 1);         // one crossing each way
            data.Add(detector, "side-by-side", "door", 2, 0);            // two objects side by side at the same time
            data.Add(detector, "stop-on-line", "door", 1, 0);            // stops on the line, jitters 3 s, goes on
            data.Add(detector, "one-side-only", "door", 0, 0);           // moves on one side only...
            data.Add(detector, "one-side-only", "left", 1, 1);           // ...while crossing another line (the object was seen)
            data.Add(detector, "outside-segment", "upper", 0, 0);        // crosses beside the segment's extent...
            data.Add(detector, "outside-segment", "door", 1, 0);         // ...and through a full-height line
            data.Add(detector, "cross-and-return", "door", 1, 1);        // In, then Out
            data.Add(detector, "detection-gap", "door", 1, 0);           // hidden for 5 frames mid-crossing
            data.Add(detector, "car-crossing", "door", 1, 1);            // a car and a person in opposite directions
            data.Add(detector, "demo", "door", 5, 5);                    // the one-minute demo loop, textured floor
            data.Add(detector, "crowd-30", "door", 15, 15);              // 30 people both ways, passing close and partly occluded
            if (detector != "motion")
            {
                data.Add(detector, "standing-group", "door", 2, 0);      // 4 stand on the line for 60 s; 2 walk on, 2 go back
            }

            data.Add(detector, "low-fps-3", "door", 2, 1);               // 3 fps, 40 px between frames (boxes never overlap)
            data.Add(detector, "along-the-line", "door", 0, 0);          // walks along the line, on it and beside it
            data.Add(detector, "already-there", "door", 1, 1);           // people in the picture from the first frame
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task Pipeline_Scene_CountsMatchGroundTruth(string detector, string sceneName, string line, long expectedIn, long expectedOut)
    {
        var scene = SyntheticScenes.Get(sceneName);
        var truth = scene.ExpectedCount(line);
        truth.Should().BeEquivalentTo(new { In = expectedIn, Out = expectedOut }, "the scene's own ground truth agrees with the hand count");

        using var pipeline = CountingPipeline.Create(detector, scene.Lines);
        await using var source = new SyntheticFrameSource(scene, "cam1", TimeProvider.System, realtime: false, pool: new FramePool(4));
        await pipeline.RunAsync(source, TestContext.Timeout(120));

        pipeline.Frames.Should().Be(scene.FrameCount);
        output.WriteLine($"confirmed tracks: {string.Join(", ", pipeline.ConfirmedTrackIds)}");
        foreach (var e in pipeline.Crossings)
        {
            output.WriteLine($"{e.Timestamp:HH:mm:ss.f}: {e.Line} {e.Direction} {e.Label} track {e.TrackId}");
        }

        var count = pipeline.Counter.GetCount(line);
        (count.In, count.Out).Should().Be((truth.In, truth.Out), $"{detector} on {sceneName}: crossings {string.Join(", ", pipeline.Crossings.Select(e => $"{e.Line} {e.Direction} track {e.TrackId}"))}");
        if (detector.StartsWith("onnx", StringComparison.Ordinal))
        {
            count.ByClass.Where(kv => kv.Value != default).Should().BeEquivalentTo(truth.ByClass, "the ONNX model tells people from cars");
        }

        pipeline.ConfirmedTrackIds.Should().HaveCountLessThanOrEqualTo(scene.Objects.Count, "each object keeps one track id");
    }

    [Fact]
    public async Task Pipeline_MotionOnStandingGroup_NeverFlickersInAndOut()
    {
        // Background subtraction cannot see people who stand still: MOG2 learns them into the background (History frames),
        // their blobs shrink towards the side not yet learned (here one box's anchor drifts 8 px past the line about
        // 8 frames after the group stops: one false In), and the tracks that pick them up when they walk off start on the
        // line with no side (the two real Ins are missed). The ONNX path counts this scene exactly. What the motion path
        // must never do is flicker: count a standing person In and then Out, or count one track twice.
        var scene = SyntheticScenes.Get("standing-group");
        using var pipeline = CountingPipeline.Create("motion", scene.Lines);
        await using var source = new SyntheticFrameSource(scene, "cam1", TimeProvider.System, realtime: false, pool: new FramePool(4));
        await pipeline.RunAsync(source, TestContext.Timeout(120));

        var count = pipeline.Counter.GetCount("door");
        output.WriteLine($"motion on standing-group: In {count.In}, Out {count.Out}");
        foreach (var e in pipeline.Crossings)
        {
            output.WriteLine($"frame {e.FrameSequence}: {e.Direction} track {e.TrackId}");
        }
        count.Out.Should().Be(0, "nobody walked out through the line");
        count.In.Should().BeLessThanOrEqualTo(scene.ExpectedCount("door").In);
        pipeline.Crossings.GroupBy(c => c.TrackId).Should().OnlyContain(g => g.Count() == 1, "no track counts twice");
    }
}
