using System.Diagnostics.CodeAnalysis;
using HgCounter.Configuration;
using static HgCounter.Rtsp.Synthetic.SyntheticObject;

namespace HgCounter.Rtsp.Synthetic;

/// <summary>
/// The named scenes behind <c>synthetic:NAME</c> URLs. All are 640×360 at 10 fps (<c>low-fps-3</c>: 3 fps) with a vertical line <c>door</c> from
/// (320, 0) to (320, 360), so walking left to right is In. Objects appear after frame 10, so a background-subtraction
/// detector has learned the empty scene first (except in <c>already-there</c>, which tests just that), and they are fully
/// inside the frame whenever they are drawn.
/// Each call returns a new instance (the line options are mutable).
/// </summary>
internal static class SyntheticScenes
{
    /// <summary>Frame width of the library scenes.</summary>
    public const int Width = 640;

    /// <summary>Frame height of the library scenes.</summary>
    public const int Height = 360;

    /// <summary>Frame rate of the library scenes.</summary>
    public const double Fps = 10;

    private static readonly Dictionary<string, Func<SyntheticScene>> Factories = new(StringComparer.OrdinalIgnoreCase)
    {
        ["demo"] = Demo,
        ["cross-both-ways"] = () => Scene("cross-both-ways", 150, [Walk(10, 100, 250, 70, 540, 250), Walk(80, 540, 250, 140, 100, 250)]),
        ["side-by-side"] = () => Scene("side-by-side", 90, [Walk(10, 100, 190, 70, 540, 190), Walk(10, 100, 300, 70, 540, 300)]),
        ["stop-on-line"] = () => Scene("stop-on-line", 130, [new(SyntheticObjectKind.Person, [new(10, 100, 250), new(50, 320, 250), new(80, 320, 250), new(120, 540, 250)], jitter: 3)]),
        ["one-side-only"] = () => Scene("one-side-only", 120, [new(SyntheticObjectKind.Person, [new(10, 60, 250), new(55, 250, 250), new(100, 60, 250)])], Line("left", 160, 0, 160, Height)),
        ["outside-segment"] = () => Scene("outside-segment", 80, [Walk(10, 100, 320, 70, 540, 320)], Line("upper", 320, 0, 320, 200)),
        ["cross-and-return"] = () => Scene("cross-and-return", 110, [new(SyntheticObjectKind.Person, [new(10, 100, 250), new(50, 440, 250), new(100, 100, 250)])]),
        ["detection-gap"] = () => Scene("detection-gap", 80, [new(SyntheticObjectKind.Person, [new(10, 100, 250), new(70, 540, 250)], [new SyntheticGap(37, 42)])]),
        ["car-crossing"] = () => Scene("car-crossing", 80, [Walk(10, 80, 300, 60, 560, 300, SyntheticObjectKind.Car), Walk(20, 560, 150, 70, 100, 150)]),
        ["crowd-30"] = Crowd30,
        ["standing-group"] = StandingGroup,
        ["low-fps-3"] = () => new SyntheticScene("low-fps-3", Width, Height, 3, 75, [Walk(10, 90, 250, 22, 570, 250), Walk(30, 550, 150, 42, 70, 150), Walk(50, 95, 320, 62, 575, 320)], [Door()]),
        ["already-there"] = AlreadyThere,
        ["zone-visits"] = ZoneVisits,
        ["along-the-line"] = () => Scene("along-the-line", 190, [new(SyntheticObjectKind.Person, [new(10, 320, 100), new(90, 320, 340)], jitter: 3), Walk(100, 300, 340, 170, 300, 100)]),
    };

    /// <summary>Names of every scene.</summary>
    public static IReadOnlyCollection<string> Names => Factories.Keys;

    /// <summary>Creates the scene named <paramref name="name"/> (case-insensitive).</summary>
    /// <exception cref="KeyNotFoundException">No such scene; the message lists the known names.</exception>
    public static SyntheticScene Get(string name) =>
        TryGet(name, out var scene) ? scene : throw new KeyNotFoundException($"No synthetic scene '{name}'. Known: {string.Join(", ", Names)}.");

    /// <summary>Creates the scene named <paramref name="name"/> when it exists.</summary>
    public static bool TryGet(string? name, [NotNullWhen(true)] out SyntheticScene? scene)
    {
        scene = name is not null && Factories.TryGetValue(name, out var factory) ? factory() : null;
        return scene is not null;
    }

    /// <summary>The door line of every library scene: (320, 0) to (320, 360).</summary>
    public static LineOptions Door() => Line("door", 320, 0, 320, Height);

    private static LineOptions Line(string name, float x0, float y0, float x1, float y1) => new() { Name = name, Start = [x0, y0], End = [x1, y1] };

    private static SyntheticScene Scene(string name, int frames, SyntheticObject[] objects, params LineOptions[] extraLines) =>
        new(name, Width, Height, Fps, frames, objects, [Door(), .. extraLines]);

    // About a minute of people and a car using a door both ways, on a faintly textured floor; loops cleanly (empty at both ends).
    private static SyntheticScene Demo()
    {
        SyntheticObject[] objects =
        [
            Walk(15, 60, 200, 95, 580, 200),
            Walk(60, 590, 300, 150, 50, 300),
            Walk(120, 40, 120, 200, 600, 120, SyntheticObjectKind.Car),
            Walk(170, 80, 250, 240, 560, 250),
            Walk(175, 80, 330, 245, 560, 330),
            new(SyntheticObjectKind.Person, [new(260, 580, 180), new(300, 330, 180), new(330, 330, 180), new(370, 60, 180)], jitter: 2),
            Walk(320, 60, 300, 380, 250, 300),
            Walk(390, 600, 110, 450, 40, 110, SyntheticObjectKind.Car),
            new(SyntheticObjectKind.Person, [new(440, 70, 260), new(480, 420, 260), new(520, 90, 260)]),
            Walk(530, 560, 230, 590, 60, 230),
        ];
        return new SyntheticScene("demo", Width, Height, Fps, 600, objects, [Door()], texture: true, seed: 7);
    }

    // 30 people crossing both ways, 15 each, a new one every 1.2 s: each left-to-right walker meets the next right-to-left one
    // just past the door on a lane 40 px lower, so their 64 px boxes overlap by 24 px while they pass (a close pass, partly occluded).
    private static SyntheticScene Crowd30()
    {
        var objects = new SyntheticObject[30];
        for (var i = 0; i < objects.Length; i++)
        {
            var start = 15 + (i * 12);
            var pair = i / 2 % 2 == 0 ? 150 : 270;
            objects[i] = i % 2 == 0 ? Walk(start, 100, pair, start + 60, 540, pair) : Walk(start, 540, pair + 40, start + 60, 100, pair + 40);
        }

        return Scene("crowd-30", 440, objects);
    }

    // Three people in the picture from the first frame, before a background model has seen the empty floor: one waits
    // 3 s and walks In, one walks towards the door, waits and walks Out, one stands beside the door the whole time.
    private static SyntheticScene AlreadyThere() => Scene("already-there", 120,
    [
        new(SyntheticObjectKind.Person, [new(0, 200, 250), new(30, 200, 250), new(70, 540, 250)], jitter: 1),
        new(SyntheticObjectKind.Person, [new(0, 560, 130), new(20, 380, 130), new(50, 380, 130), new(90, 80, 130)], jitter: 1),
        new(SyntheticObjectKind.Person, [new(0, 420, 340), new(119, 420, 340)], jitter: 2),
    ]);

    /// <summary>The zone of <c>zone-visits</c>: left of the door, (100, 160) to (280, 320), loitering after 10 s.</summary>
    public static ZoneOptions Queue() => new()
    {
        Name = "queue",
        Points = [[100, 160], [280, 160], [280, 320], [100, 320]],
        MinFrames = 3,
        LoiterAfter = TimeSpan.FromSeconds(10),
    };

    // Three visits to the zone "queue", one at a time and never near the door: one walks straight through it (about 3 s),
    // one walks a loop and a half around inside it (about 16 s: loiters once), one enters and then walks along the top
    // edge bobbing over it (two frames in, one out, ten times), which is one visit, before leaving through the bottom.
    // Everyone keeps moving: a background-subtraction detector learns a person who stands into the background.
    private static SyntheticScene ZoneVisits()
    {
        var bob = Enumerable.Range(0, 30).Select(i => new SyntheticKeyframe(271 + i, 153 + (3 * i), i % 3 == 2 ? 152 : 168));
        SyntheticObject[] objects =
        [
            Walk(10, 190, 100, 60, 190, 350),
            new(SyntheticObjectKind.Person,
            [
                new(70, 40, 240), new(83, 120, 240), new(93, 120, 190), new(116, 260, 190), new(133, 260, 300),
                new(156, 120, 300), new(173, 120, 190), new(196, 260, 190), new(213, 260, 240), new(249, 40, 240),
            ]),
            new(SyntheticObjectKind.Person, [new(255, 130, 110), new(265, 130, 190), new(270, 150, 170), .. bob, new(305, 250, 200), new(320, 250, 340)]),
        ];
        return new SyntheticScene("zone-visits", Width, Height, Fps, 335, objects, [Door()], zones: [Queue()]);
    }

    // Four people walk up to the door, stand on it for 60 s swaying 3 px, then two walk on through it and two go back.
    private static SyntheticScene StandingGroup()
    {
        float[] lanes = [120, 195, 270, 345];
        var objects = new SyntheticObject[lanes.Length];
        for (var i = 0; i < lanes.Length; i++)
        {
            var y = lanes[i];
            var exitX = i % 2 == 0 ? 540 : 100;
            objects[i] = new(SyntheticObjectKind.Person, [new(10, 100, y), new(40, 320, y), new(640, 320, y), new(680, exitX, y)], jitter: 3);
        }

        return Scene("standing-group", 700, objects);
    }
}
