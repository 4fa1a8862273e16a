using HgCounter.Frames;
using HgCounter.Rtsp.Synthetic;

namespace HgCounter.Inference.Tests.Scenes;

public sealed class SyntheticSceneTests
{
    private static (byte B, byte G, byte R) Pixel(Frame frame, int x, int y)
    {
        var i = (y * frame.Stride) + (x * 3);
        return (frame.Pixels[i], frame.Pixels[i + 1], frame.Pixels[i + 2]);
    }

    [Fact]
    public void Render_Person_DrawsModelColourAndSizeAtBottomCentre()
    {
        var scene = new SyntheticScene("t", 640, 360, 10, 10, [new(SyntheticObjectKind.Person, [new(0, 100, 250)])], []);
        using var frame = Frame.CreateUnpooled(640, 360);
        scene.Render(0, frame);

        // 32x64 with its bottom centre at (100, 250): x 84..115, y 186..249.
        Pixel(frame, 84, 186).Should().Be(((byte)60, (byte)180, (byte)255));
        Pixel(frame, 115, 249).Should().Be(((byte)60, (byte)180, (byte)255));
        Pixel(frame, 83, 200).Should().Be(((byte)40, (byte)40, (byte)40));
        Pixel(frame, 116, 200).Should().Be(((byte)40, (byte)40, (byte)40));
        Pixel(frame, 100, 185).Should().Be(((byte)40, (byte)40, (byte)40));
        Pixel(frame, 100, 250).Should().Be(((byte)40, (byte)40, (byte)40));
    }

    [Fact]
    public void Render_CarInWiderFrame_ScalesWithWidth()
    {
        var scene = new SyntheticScene("t", 1280, 720, 10, 10, [new(SyntheticObjectKind.Car, [new(0, 400, 400)])], []);
        scene.SizeOf(SyntheticObjectKind.Car).Should().Be((128, 64));
        scene.BoxAt(0, 0).Should().Be(new HgCounter.Detection.BoundingBox(336, 336, 128, 64));

        using var frame = Frame.CreateUnpooled(1280, 720);
        scene.Render(0, frame);
        Pixel(frame, 400, 380).Should().Be(((byte)255, (byte)160, (byte)60));
    }

    [Fact]
    public void Render_ObjectInGapOrOutsideItsFrames_IsNotDrawn()
    {
        var obj = new SyntheticObject(SyntheticObjectKind.Person, [new(5, 100, 250), new(20, 400, 250)], [new SyntheticGap(10, 12)]);
        var scene = new SyntheticScene("t", 640, 360, 10, 30, [obj], []);

        Enumerable.Range(0, 25).Where(f => scene.BoxAt(0, f) is not null).Should().Equal(
            Enumerable.Range(5, 16).Where(f => f is not (10 or 11)));
    }

    [Fact]
    public void Render_TexturedBackground_IsFaintAndDeterministic()
    {
        var scene = SyntheticScenes.Get("demo");
        using var a = Frame.CreateUnpooled(640, 360);
        using var b = Frame.CreateUnpooled(640, 360);
        scene.Render(123, a);
        SyntheticScenes.Get("demo").Render(123, b);

        a.Pixels.SequenceEqual(b.Pixels).Should().BeTrue();
        scene.Render(0, a);
        var grey = a.Pixels.ToArray();
        grey.Should().OnlyContain(v => v >= 40 - SyntheticScene.TextureAmplitude && v <= 40 + SyntheticScene.TextureAmplitude, "frame 0 of the demo is empty");
        grey.Distinct().Count().Should().BeGreaterThan(5, "the texture is not flat");
    }

    [Fact]
    public void Jitter_StaysWithinAmplitude()
    {
        var obj = new SyntheticObject(SyntheticObjectKind.Person, [new(0, 320, 250), new(100, 320, 250)], jitter: 3);
        var scene = new SyntheticScene("t", 640, 360, 10, 101, [obj], []);
        var xs = Enumerable.Range(0, 101).Select(f => scene.BoxAt(0, f)!.Value.X).ToList();

        xs.Should().OnlyContain(x => x >= 304 - 3 && x <= 304 + 3);
        xs.Distinct().Count().Should().BeGreaterThan(3);
    }

    [Theory]
    [InlineData("cross-both-ways", "door", 1, 1)]
    [InlineData("side-by-side", "door", 2, 0)]
    [InlineData("stop-on-line", "door", 1, 0)]
    [InlineData("one-side-only", "door", 0, 0)]
    [InlineData("one-side-only", "left", 1, 1)]
    [InlineData("outside-segment", "upper", 0, 0)]
    [InlineData("outside-segment", "door", 1, 0)]
    [InlineData("cross-and-return", "door", 1, 1)]
    [InlineData("detection-gap", "door", 1, 0)]
    [InlineData("car-crossing", "door", 1, 1)]
    [InlineData("demo", "door", 5, 5)]
    [InlineData("crowd-30", "door", 15, 15)]
    [InlineData("standing-group", "door", 2, 0)]
    [InlineData("low-fps-3", "door", 2, 1)]
    [InlineData("along-the-line", "door", 0, 0)]
    [InlineData("already-there", "door", 1, 1)]
    public void ExpectedCount_LibraryScenes_MatchHandCountedTruth(string scene, string line, long expectedIn, long expectedOut)
    {
        var count = SyntheticScenes.Get(scene).ExpectedCount(line);

        count.In.Should().Be(expectedIn);
        count.Out.Should().Be(expectedOut);
    }

    [Fact]
    public void ExpectedVisits_ZoneVisits_MatchHandCountedTruth()
    {
        var scene = SyntheticScenes.Get("zone-visits");
        var zone = scene.Zones.Should().ContainSingle().Subject;

        var visits = scene.ExpectedVisits(zone);

        // Worked out by hand from the keyframes: the walker's anchor is inside for y in [160, 320) at 5 px a frame, the
        // looping one crosses x = 100 on frames 80 and 240, the bobbing one's single frames above the edge never make three.
        visits.Should().Equal(
            new SyntheticZoneVisit(0, "person", 22, 24, 54, 56, TimeSpan.FromSeconds(3.2), Loiters: false),
            new SyntheticZoneVisit(1, "person", 80, 82, 240, 242, TimeSpan.FromSeconds(16), Loiters: true),
            new SyntheticZoneVisit(2, "person", 262, 264, 318, 320, TimeSpan.FromSeconds(5.6), Loiters: false));
        scene.ExpectedOccupancy(zone, 23).Should().Be(0, "not yet three frames inside");
        scene.ExpectedOccupancy(zone, 24).Should().Be(1);
        scene.ExpectedOccupancy(zone, 150).Should().Be(1);
        scene.ExpectedOccupancy(zone, 285).Should().Be(1, "bobbing over the edge does not leave");
        scene.ExpectedOccupancy(zone, 334).Should().Be(0);
    }

    [Fact]
    public void ExpectedVisits_MinFramesOne_EveryFrameOutsideEndsTheVisit()
    {
        var scene = SyntheticScenes.Get("zone-visits");
        var zone = scene.Zones.Single();
        zone.MinFrames = 1;

        scene.ExpectedVisits(zone).Should().HaveCount(2 + 11, "without inertia each of the ten single frames above the edge ends a visit and starts another");
    }

    [Fact]
    public void LibraryScenes_ObjectsStayFullyInsideFrame()
    {
        foreach (var name in SyntheticScenes.Names)
        {
            var scene = SyntheticScenes.Get(name);
            for (var i = 0; i < scene.Objects.Count; i++)
            {
                for (var f = 0; f < scene.FrameCount; f++)
                {
                    if (scene.BoxAt(i, f) is { } box)
                    {
                        (box.X >= 0 && box.Y >= 0 && box.Right <= scene.Width && box.Bottom <= scene.Height).Should().BeTrue($"{name} object {i} frame {f} is cut by the edge: {box}");
                    }
                }
            }
        }
    }

    [Fact]
    public void Get_UnknownName_ThrowsListingKnownScenes()
    {
        SyntheticScenes.TryGet("nope", out _).Should().BeFalse();
        var act = () => SyntheticScenes.Get("nope");
        act.Should().Throw<KeyNotFoundException>().WithMessage("*demo*");
        SyntheticScenes.TryGet("DEMO", out var demo).Should().BeTrue();
        demo!.Lines.Should().ContainSingle(l => l.Name == "door");
        (demo.FrameCount / demo.FramesPerSecond).Should().BeApproximately(60, 1);
    }
}
