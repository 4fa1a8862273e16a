using HgCounter.Configuration;
using HgCounter.Counting;
using HgCounter.Frames;
using OpenCvSharp;
using Xunit.Abstractions;

namespace HgCounter.Inference.Tests.EndToEnd;

/// <summary>
/// Real pedestrian footage (OpenCV's vtest.avi, 768x576, 10 fps, 795 frames) through the motion detector, tracker and
/// counter. There is no frame-exact ground truth, so the bounds come from watching the footage (docs/accuracy.md).
/// </summary>
public sealed class VtestFootageCountingTests(ITestOutputHelper output)
{
    private const string VideoPath = "/usr/share/doc/opencv-doc/examples/data/vtest.avi";

    // A vertical line across the footpath just right of the lamp post; left to right is In.
    private static LineOptions Path() => new() { Name = "path", Start = [480, 100], End = [480, 576] };

    [Fact]
    public void Pipeline_VtestWithMotionDetector_CountsArePlausible()
    {
        File.Exists(VideoPath).Should().BeTrue("Debian's opencv-doc package provides the footage");
        using var pipeline = CountingPipeline.Create("motion", [Path()]);
        using var capture = new VideoCapture(VideoPath);
        using var mat = new Mat();
        using var frame = Frame.CreateUnpooled(768, 576, "vtest");
        var start = new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
        long sequence = 0;
        while (capture.Read(mat) && !mat.Empty())
        {
            mat.IsContinuous().Should().BeTrue();
            mat.AsSpan<byte>().CopyTo(frame.Pixels);
            frame.SetMetadata("vtest", sequence, start.AddSeconds(sequence / 10.0));
            pipeline.Process(frame);
            sequence++;
        }

        var count = pipeline.Counter.GetCount("path");
        output.WriteLine($"frames {pipeline.Frames}, confirmed tracks {pipeline.ConfirmedTrackIds.Count}, In {count.In}, Out {count.Out}");
        foreach (var e in pipeline.Crossings)
        {
            output.WriteLine($"  t={(e.Timestamp - start).TotalSeconds:F1}s track {e.TrackId} {e.Direction}");
        }

        pipeline.Frames.Should().Be(795);

        // Watching the footage: roughly 20-30 people walk past the line in 79 s, in both directions. Groups that move
        // as one blob count once and broken-up bodies or id switches may add a few, hence the wide band.
        (count.In + count.Out).Should().BeInRange(12, 60);
        count.In.Should().BeGreaterThanOrEqualTo(3, "people walk left to right");
        count.Out.Should().BeGreaterThanOrEqualTo(3, "people walk right to left");
        pipeline.Crossings.Select(e => (e.Line, e.TrackId, e.FrameSequence)).Should().OnlyHaveUniqueItems();
        pipeline.Crossings.Should().OnlyContain(e => e.Direction == CrossingDirection.In || e.Direction == CrossingDirection.Out);
    }
}
