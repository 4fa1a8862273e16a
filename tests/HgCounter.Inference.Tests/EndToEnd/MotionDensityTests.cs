using HgCounter.Frames;
using HgCounter.Rtsp.Synthetic;
using HgCounter.Testing;
using Xunit.Abstractions;

namespace HgCounter.Inference.Tests.EndToEnd;

/// <summary>
/// Where the motion detector stops telling people apart: four people crossing the door together, side by side (abreast)
/// or one behind the other (in file), with a gap of so many pixels between their boxes. Background subtraction sees one
/// blob where the gap closes (its closing fills gaps up to 8 px at its 640 px working width), and one blob crosses once.
/// docs/accuracy.md gives the figures; below the limit users need the ONNX detector.
/// </summary>
public sealed class MotionDensityTests(ITestOutputHelper output)
{
    [Theory]
    [InlineData("abreast", 8, 1, 1)]
    [InlineData("abreast", 10, 1, 4)]
    [InlineData("abreast", 16, 1, 4)]
    [InlineData("file", 8, 1, 1)]
    [InlineData("file", 10, 1, 4)]
    [InlineData("file", 24, 1, 4)]
    // 1280 px wide: frames are halved to the working width, so the gap that keeps people apart doubles in source pixels.
    [InlineData("abreast", 16, 2, 1)]
    [InlineData("abreast", 20, 2, 4)]
    public async Task Motion_FourPeopleTogether_CountedApartOnlyAboveTheGapLimit(string formation, int gap, int scale, long expectedIn)
    {
        var scene = Group(formation, gap / scale);
        scene = scale == 1 ? scene : scene.Scaled(scale);
        scene.ExpectedCount("door").In.Should().Be(4, "four people walk in");

        using var pipeline = CountingPipeline.Create("motion", scene.Lines);
        await using var source = new SyntheticFrameSource(scene, "cam1", TimeProvider.System, realtime: false, pool: new FramePool(4));
        await pipeline.RunAsync(source, TestContext.Timeout(120));

        var count = pipeline.Counter.GetCount("door");
        output.WriteLine($"{formation}, {gap} px apart at {scene.Width} px: In {count.In}, Out {count.Out}, tracks {pipeline.ConfirmedTrackIds.Count}");
        (count.In, count.Out).Should().Be((expectedIn, 0));
    }

    [Theory]
    [InlineData("abreast", 10)]
    [InlineData("file", 10)]
    public async Task Onnx_FourPeopleTogether_CountedApartAtTheMotionLimit(string formation, int gap)
    {
        var scene = Group(formation, gap);

        using var pipeline = CountingPipeline.Create("onnx-ungated", scene.Lines);
        await using var source = new SyntheticFrameSource(scene, "cam1", TimeProvider.System, realtime: false, pool: new FramePool(4));
        await pipeline.RunAsync(source, TestContext.Timeout(120));

        pipeline.Counter.GetCount("door").In.Should().Be(4);
    }

    // 640x360, 10 fps: four 32x64 people walk left to right through the door from frame 10 to 70, together.
    private static SyntheticScene Group(string formation, int gap)
    {
        var objects = new SyntheticObject[4];
        for (var i = 0; i < objects.Length; i++)
        {
            objects[i] = formation == "abreast"
                ? SyntheticObject.Walk(10, 100, 70 + (i * (64 + gap)), 70, 540, 70 + (i * (64 + gap)))
                : SyntheticObject.Walk(10, 200 - (i * (32 + gap)), 250, 70, 540 - (i * (32 + gap)), 250);
        }

        return new SyntheticScene($"{formation}-{gap}", 640, 360, 10, 100, objects, [SyntheticScenes.Door()]);
    }
}
