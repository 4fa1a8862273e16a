using HgCounter.Configuration;
using HgCounter.Counting;
using HgCounter.Detection;
using HgCounter.Frames;

namespace HgCounter.Rtsp.Synthetic;

/// <summary>
/// A generated test scene that knows its ground truth: objects drawn as flat rectangles on a dark grey background, exactly
/// what <c>models/synthetic-yolov8.onnx</c> detects (see <c>models/README.md</c>), moving on keyframed straight lines.
/// Rendering is deterministic: the same frame index always gives the same pixels.
/// </summary>
internal sealed class SyntheticScene
{
    /// <summary>Background grey level (all three channels).</summary>
    public const byte BackgroundLevel = 40;

    /// <summary>Largest deviation from <see cref="BackgroundLevel"/> of the optional static texture (the model tolerates ±8).</summary>
    public const int TextureAmplitude = 6;

    private static readonly byte[] PersonBgr = [60, 180, 255];
    private static readonly byte[] CarBgr = [255, 160, 60];
    private byte[]? _background;

    /// <summary>Creates a scene.</summary>
    /// <param name="name">Scene name, used in <c>synthetic:NAME</c> URLs.</param>
    /// <param name="width">Frame width in pixels.</param>
    /// <param name="height">Frame height in pixels.</param>
    /// <param name="framesPerSecond">Nominal frame rate.</param>
    /// <param name="frameCount">Number of frames; a looping source starts again after the last.</param>
    /// <param name="objects">Objects, drawn in this order (later ones cover earlier ones).</param>
    /// <param name="lines">Counting lines the ground truth is given for.</param>
    /// <param name="texture">Adds a faint static noise texture to the background.</param>
    /// <param name="seed">Seed of the texture and the jitter.</param>
    /// <param name="zones">Zones the ground truth is given for.</param>
    public SyntheticScene(string name, int width, int height, double framesPerSecond, int frameCount, IReadOnlyList<SyntheticObject> objects, IReadOnlyList<LineOptions> lines, bool texture = false, int seed = 1, IReadOnlyList<ZoneOptions>? zones = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentOutOfRangeException.ThrowIfLessThan(width, 20);
        ArgumentOutOfRangeException.ThrowIfLessThan(height, 20);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(framesPerSecond);
        ArgumentOutOfRangeException.ThrowIfLessThan(frameCount, 1);
        ArgumentNullException.ThrowIfNull(objects);
        ArgumentNullException.ThrowIfNull(lines);
        Name = name;
        Width = width;
        Height = height;
        FramesPerSecond = framesPerSecond;
        FrameCount = frameCount;
        Objects = objects;
        Lines = lines;
        Texture = texture;
        Seed = seed;
        Zones = zones ?? [];
    }

    /// <summary>Scene name.</summary>
    public string Name { get; }

    /// <summary>Frame width in pixels.</summary>
    public int Width { get; }

    /// <summary>Frame height in pixels.</summary>
    public int Height { get; }

    /// <summary>Nominal frame rate.</summary>
    public double FramesPerSecond { get; }

    /// <summary>Number of frames.</summary>
    public int FrameCount { get; }

    /// <summary>Objects in drawing order.</summary>
    public IReadOnlyList<SyntheticObject> Objects { get; }

    /// <summary>Counting lines of the scene.</summary>
    public IReadOnlyList<LineOptions> Lines { get; }

    /// <summary>Zones of the scene.</summary>
    public IReadOnlyList<ZoneOptions> Zones { get; }

    /// <summary>Whether the background carries a faint static texture.</summary>
    public bool Texture { get; }

    /// <summary>Seed of the texture and the jitter.</summary>
    public int Seed { get; }

    /// <summary>Size of an object of <paramref name="kind"/> in this scene: scales with the frame width (32×64 person at 640).</summary>
    public (int Width, int Height) SizeOf(SyntheticObjectKind kind) =>
        kind == SyntheticObjectKind.Car ? (Math.Max(2, Width / 10), Math.Max(1, Width / 20)) : (Math.Max(1, Width / 20), Math.Max(2, Width / 10));

    /// <summary>
    /// The same scene <paramref name="factor"/> times larger: frame size, paths, jitter and lines scaled (objects scale with
    /// the width), the same frames, timing, texture seed and ground truth.
    /// </summary>
    public SyntheticScene Scaled(int factor)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(factor, 1);
        var objects = Objects
            .Select(o => new SyntheticObject(o.Kind, [.. o.Keyframes.Select(k => k with { X = k.X * factor, Y = k.Y * factor })], o.Gaps, o.Jitter * factor))
            .ToArray();
        var lines = Lines
            .Select(l => new LineOptions
            {
                Name = l.Name,
                Start = [.. l.Start.Select(v => v * factor)],
                End = [.. l.End.Select(v => v * factor)],
                Anchor = l.Anchor,
                MinCrossingDistance = l.MinCrossingDistance * factor,
            })
            .ToArray();
        return new SyntheticScene($"{Name}@{factor}x", Width * factor, Height * factor, FramesPerSecond, FrameCount, objects, lines, Texture, Seed);
    }

    /// <summary>The class name the ONNX test model reports for <paramref name="kind"/>.</summary>
    public static string LabelOf(SyntheticObjectKind kind) => kind == SyntheticObjectKind.Car ? "car" : "person";

    /// <summary>The box drawn for object <paramref name="objectIndex"/> on <paramref name="frame"/> (jitter included), or null when it is not drawn.</summary>
    public BoundingBox? BoxAt(int objectIndex, int frame)
    {
        var obj = Objects[objectIndex];
        if (!obj.IsVisible(frame) || obj.PathAt(frame) is not { } p)
        {
            return null;
        }

        var (w, h) = SizeOf(obj.Kind);
        var dx = obj.Jitter == 0 ? 0 : Noise(objectIndex, frame, 0, obj.Jitter);
        var dy = obj.Jitter == 0 ? 0 : Noise(objectIndex, frame, 1, obj.Jitter);
        var left = (int)MathF.Round(p.X - (w / 2f)) + dx;
        var top = (int)MathF.Round(p.Y - h) + dy;
        return new BoundingBox(left, top, w, h);
    }

    /// <summary>Draws frame <paramref name="index"/> into <paramref name="frame"/>, which must be <see cref="Width"/>×<see cref="Height"/>.</summary>
    public void Render(int index, Frame frame)
    {
        ArgumentNullException.ThrowIfNull(frame);
        if (frame.Width != Width || frame.Height != Height)
        {
            throw new ArgumentException($"Frame is {frame.Width}x{frame.Height}, scene '{Name}' is {Width}x{Height}.", nameof(frame));
        }

        var pixels = frame.Pixels;
        if (Texture)
        {
            Background().CopyTo(pixels);
        }
        else
        {
            pixels.Fill(BackgroundLevel);
        }

        for (var i = 0; i < Objects.Count; i++)
        {
            if (BoxAt(i, index) is { } box)
            {
                FillRectangle(pixels, (int)box.X, (int)box.Y, (int)box.Width, (int)box.Height, Objects[i].Kind == SyntheticObjectKind.Car ? CarBgr : PersonBgr);
            }
        }
    }

    /// <summary>
    /// The true counts of <paramref name="line"/>: each time an object's noise-free anchor path (see <see cref="LineOptions.Anchor"/>)
    /// goes from one side of the line to the other through the segment, whether or not the object is visible then.
    /// Direction follows <see cref="CrossingDirection"/>. Scenes keep objects well clear of the line before and after a
    /// crossing, so hysteresis does not change the truth.
    /// </summary>
    public LineCount ExpectedCount(LineOptions line)
    {
        ArgumentNullException.ThrowIfNull(line);
        var segment = new CountingLine(line.Name, new Point2(line.Start[0], line.Start[1]), new Point2(line.End[0], line.End[1]));
        long @in = 0, @out = 0;
        var byClass = new Dictionary<string, DirectionCount>(StringComparer.Ordinal);
        foreach (var obj in Objects)
        {
            var (w, h) = SizeOf(obj.Kind);
            Point2? last = null;
            var lastDistance = 0f;
            foreach (var k in obj.Keyframes)
            {
                var p = new BoundingBox(k.X - (w / 2f), k.Y - h, w, h).AnchorPoint(line.Anchor);
                var d = segment.SignedDistance(p);
                if (d == 0)
                {
                    continue; // on the line: the side is decided by the next keyframe off it
                }

                if (last is { } a && MathF.Sign(d) != MathF.Sign(lastDistance))
                {
                    var t = lastDistance / (lastDistance - d);
                    var projection = segment.Projection(new Point2(a.X + (t * (p.X - a.X)), a.Y + (t * (p.Y - a.Y))));
                    if (projection is >= 0 and <= 1)
                    {
                        var label = LabelOf(obj.Kind);
                        byClass.TryGetValue(label, out var c);
                        if (d < 0)
                        {
                            @in++;
                            byClass[label] = c with { In = c.In + 1 };
                        }
                        else
                        {
                            @out++;
                            byClass[label] = c with { Out = c.Out + 1 };
                        }
                    }
                }

                last = p;
                lastDistance = d;
            }
        }

        return new LineCount(line.Name, @in, @out, byClass);
    }

    /// <summary>The ground truth of the line named <paramref name="lineName"/>.</summary>
    public LineCount ExpectedCount(string lineName) =>
        ExpectedCount(Lines.FirstOrDefault(l => l.Name == lineName) ?? throw new KeyNotFoundException($"Scene '{Name}' has no line '{lineName}'."));

    /// <summary>
    /// The true visits to <paramref name="zone"/>, in the order they begin: the noise-free anchor of each object tested
    /// against the polygon on every frame, a frame on which the object is not drawn counting as outside, with the zone's
    /// inertia (<see cref="ZoneOptions.MinFrames"/> frames in a row to enter and to leave). Dwell is in frames at
    /// <see cref="FramesPerSecond"/>.
    /// </summary>
    public IReadOnlyList<SyntheticZoneVisit> ExpectedVisits(ZoneOptions zone)
    {
        ArgumentNullException.ThrowIfNull(zone);
        var polygon = new ZonePolygon([.. zone.Points.Select(p => new Point2(p[0], p[1]))]);
        var minFrames = Math.Max(1, zone.MinFrames);
        var visits = new List<SyntheticZoneVisit>();
        for (var o = 0; o < Objects.Count; o++)
        {
            var obj = Objects[o];
            var (w, h) = SizeOf(obj.Kind);
            var label = LabelOf(obj.Kind);
            bool Inside(int frame) => obj.IsVisible(frame) && obj.PathAt(frame) is { } p
                && polygon.Contains(new BoundingBox(p.X - (w / 2f), p.Y - h, w, h).AnchorPoint(zone.Anchor));

            int? firstInside = null, enter = null, firstOutside = null, lastInside = null;
            var streak = 0;
            for (var f = 0; f < FrameCount; f++)
            {
                var inside = Inside(f);
                if (enter is null)
                {
                    streak = inside ? streak + 1 : 0;
                    firstInside = streak == 1 ? f : firstInside;
                    if (streak == minFrames)
                    {
                        (enter, streak, lastInside) = (f, 0, f);
                    }

                    continue;
                }

                if (inside)
                {
                    (streak, lastInside) = (0, f);
                    continue;
                }

                firstOutside = ++streak == 1 ? f : firstOutside;
                if (streak == minFrames)
                {
                    visits.Add(Visit(o, label, firstInside!.Value, enter.Value, firstOutside, f, lastInside!.Value, zone));
                    (firstInside, enter, firstOutside, streak) = (null, null, null, 0);
                }
            }

            if (enter is { } open)
            {
                visits.Add(Visit(o, label, firstInside!.Value, open, null, null, lastInside!.Value, zone));
            }
        }

        return [.. visits.OrderBy(v => v.EnterFrame)];
    }

    /// <summary>How many objects the truth has inside <paramref name="zone"/> on <paramref name="frame"/> (entered and not yet left).</summary>
    public int ExpectedOccupancy(ZoneOptions zone, int frame) =>
        ExpectedVisits(zone).Count(v => v.EnterFrame <= frame && (v.ExitFrame is not { } exit || frame < exit));

    private SyntheticZoneVisit Visit(int objectIndex, string label, int firstInside, int enter, int? firstOutside, int? exit, int lastInside, ZoneOptions zone)
    {
        TimeSpan Frames(int n) => TimeSpan.FromSeconds(n / FramesPerSecond);
        var loiters = zone.LoiterAfter is { } after && Frames(lastInside - firstInside) >= after;
        return new(objectIndex, label, firstInside, enter, firstOutside, exit, firstOutside is { } end ? Frames(end - firstInside) : null, loiters);
    }

    private byte[] Background() => LazyInitializer.EnsureInitialized(ref _background, () =>
    {
        var bytes = new byte[Width * Height * 3];
        for (var i = 0; i < bytes.Length; i++)
        {
            bytes[i] = (byte)(BackgroundLevel + Noise(-1, i, 2, TextureAmplitude));
        }

        return bytes;
    });

    // Deterministic integer in [-amplitude, amplitude] (SplitMix64 finaliser over the inputs).
    private int Noise(int objectIndex, int frame, int channel, int amplitude)
    {
        var z = unchecked((ulong)Seed * 0x9E3779B97F4A7C15UL ^ ((ulong)(uint)objectIndex << 40) ^ ((ulong)(uint)frame << 8) ^ (ulong)channel);
        z = unchecked((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL);
        z = unchecked((z ^ (z >> 27)) * 0x94D049BB133111EBUL);
        z ^= z >> 31;
        return (int)(z % (ulong)((2 * amplitude) + 1)) - amplitude;
    }

    private void FillRectangle(Span<byte> pixels, int x, int y, int w, int h, byte[] bgr)
    {
        var x0 = Math.Max(0, x);
        var y0 = Math.Max(0, y);
        var x1 = Math.Min(Width, x + w);
        var y1 = Math.Min(Height, y + h);
        if (x0 >= x1 || y0 >= y1)
        {
            return;
        }

        var stride = Width * 3;
        var row = pixels.Slice((y0 * stride) + (x0 * 3), (x1 - x0) * 3);
        for (var i = 0; i < row.Length; i += 3)
        {
            row[i] = bgr[0];
            row[i + 1] = bgr[1];
            row[i + 2] = bgr[2];
        }

        for (var yy = y0 + 1; yy < y1; yy++)
        {
            row.CopyTo(pixels.Slice((yy * stride) + (x0 * 3), row.Length));
        }
    }
}
