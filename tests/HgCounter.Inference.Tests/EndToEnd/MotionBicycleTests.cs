using HgCounter.Configuration;
using HgCounter.Counting;
using HgCounter.Frames;
using HgCounter.Inference.Counting;
using HgCounter.Inference.Detectors;
using HgCounter.Inference.Tracking;
using HgCounter.Inference.Tests.Detectors;
using Xunit.Abstractions;

namespace HgCounter.Inference.Tests.EndToEnd;

/// <summary>
/// A 1920x1080 street: two people push bicycles across the door line, one each way, each with a shadow on the ground.
/// At this size a bicycle's wheels and frame are blobs of thousands of source pixels, well above MinArea, a few pixels
/// from the person: counted as objects of their own they add crossings (a peer's clip: 11 counted for 4). The motion
/// detector must count two people.
/// </summary>
public sealed class MotionBicycleTests(ITestOutputHelper output)
{
    private const int Width = 1920;
    private const int Height = 1080;
    private static readonly (byte B, byte G, byte R) Shadow = (22, 22, 22); // the floor (40) darkened to 55 %: MOG2's shadow test
    private static readonly (byte B, byte G, byte R) Bicycle = (150, 150, 150);

    [Fact]
    public void Motion_PeoplePushingBicyclesWithShadows_CountedOncePerPerson()
    {
        var (count, maxBoxes) = Count(new MotionDetectorOptions());

        (count.In, count.Out).Should().Be((1L, 1L), "two people cross, one each way; bicycles and shadows are not people");
        maxBoxes.Should().Be(2, "each person with their bicycle is one object");

        // The contrast: without merging fragments each wheel is an object that crosses the line too.
        var (unmerged, _) = Count(new MotionDetectorOptions { FragmentReach = 0 });
        (unmerged.In + unmerged.Out).Should().BeGreaterThan(2);
    }

    private (LineCount Count, int MaxBoxes) Count(MotionDetectorOptions options)
    {
        var line = new LineOptions { Name = "door", Start = [960, 0], End = [960, Height] };
        var counter = new LineCounter("cam1", [line]);
        using var pipeline = new HgCounter.Counting.CountingPipeline(new MotionDetector(options), new ByteTracker(), counter);
        using var frame = SyntheticScene.Create(Width, Height);
        var crossings = new List<LineCrossing>();
        var maxBoxes = 0;
        for (var i = 0; i < 110; i++)
        {
            SyntheticScene.Clear(frame);
            if (i is >= 15 and <= 95)
            {
                var t = (i - 15) / 80f;
                DrawPersonWithBicycle(frame, (int)(300 + (t * 1320)), 560, +1);
                DrawPersonWithBicycle(frame, (int)(1620 - (t * 1320)), 960, -1);
            }

            pipeline.Process(frame, crossings);
            maxBoxes = Math.Max(maxBoxes, pipeline.LastDetections.Count);
        }

        var count = counter.GetCount("door");
        output.WriteLine($"FragmentReach {options.FragmentReach}: In {count.In}, Out {count.Out}, most boxes on one frame {maxBoxes}; crossings: {string.Join(", ", crossings.Select(c => $"{c.Direction} track {c.TrackId} frame {c.FrameSequence}"))}");
        return (count, maxBoxes);
    }

    // A 96x192 person whose feet are at (x, feetY), the bicycle in front (direction +1 right, -1 left): two 60x60 wheels
    // and a frame bar, 12 px from the person; a flat shadow on the floor behind the feet.
    private static void DrawPersonWithBicycle(Frame frame, int x, int feetY, int direction)
    {
        SyntheticScene.Fill(frame, direction > 0 ? x - 48 - 150 : x + 48, feetY - 30, 150, 30, Shadow);
        SyntheticScene.Fill(frame, x - 48, feetY - 192, 96, 192, SyntheticScene.Person);
        var bikeLeft = direction > 0 ? x + 48 + 12 : x - 48 - 12 - 200;
        SyntheticScene.Fill(frame, bikeLeft, feetY - 60, 60, 60, Bicycle);
        SyntheticScene.Fill(frame, bikeLeft + 140, feetY - 60, 60, 60, Bicycle);
        SyntheticScene.Fill(frame, bikeLeft + 30, feetY - 100, 140, 12, Bicycle);
    }
}
