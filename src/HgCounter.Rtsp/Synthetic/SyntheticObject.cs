namespace HgCounter.Rtsp.Synthetic;

/// <summary>
/// One object of a <see cref="SyntheticScene"/>: it exists from its first to its last keyframe, moves in straight lines
/// between keyframes, is hidden during <see cref="Gaps"/>, and is shifted on every frame by a deterministic random offset
/// of up to <see cref="Jitter"/> pixels in x and y (a detector's box noise, a person swaying).
/// </summary>
internal sealed record SyntheticObject
{
    /// <summary>Creates an object.</summary>
    /// <param name="kind">Person or car.</param>
    /// <param name="keyframes">At least one keyframe, in increasing frame order.</param>
    /// <param name="gaps">Hidden frame ranges, if any.</param>
    /// <param name="jitter">Largest per-frame offset in pixels (0: none).</param>
    public SyntheticObject(SyntheticObjectKind kind, IReadOnlyList<SyntheticKeyframe> keyframes, IReadOnlyList<SyntheticGap>? gaps = null, int jitter = 0)
    {
        ArgumentNullException.ThrowIfNull(keyframes);
        if (keyframes.Count == 0)
        {
            throw new ArgumentException("An object needs at least one keyframe.", nameof(keyframes));
        }

        for (var i = 1; i < keyframes.Count; i++)
        {
            if (keyframes[i].Frame <= keyframes[i - 1].Frame)
            {
                throw new ArgumentException("Keyframes must be in strictly increasing frame order.", nameof(keyframes));
            }
        }

        ArgumentOutOfRangeException.ThrowIfNegative(jitter);
        Kind = kind;
        Keyframes = keyframes;
        Gaps = gaps ?? [];
        Jitter = jitter;
    }

    /// <summary>Person or car.</summary>
    public SyntheticObjectKind Kind { get; }

    /// <summary>Keyframes in increasing frame order.</summary>
    public IReadOnlyList<SyntheticKeyframe> Keyframes { get; }

    /// <summary>Hidden frame ranges.</summary>
    public IReadOnlyList<SyntheticGap> Gaps { get; }

    /// <summary>Largest per-frame offset in pixels.</summary>
    public int Jitter { get; }

    /// <summary>First frame the object exists on.</summary>
    public int FirstFrame => Keyframes[0].Frame;

    /// <summary>Last frame the object exists on.</summary>
    public int LastFrame => Keyframes[^1].Frame;

    /// <summary>A person walking in a straight line from (x0, y0) on frame f0 to (x1, y1) on frame f1.</summary>
    public static SyntheticObject Walk(int f0, float x0, float y0, int f1, float x1, float y1, SyntheticObjectKind kind = SyntheticObjectKind.Person) =>
        new(kind, [new(f0, x0, y0), new(f1, x1, y1)]);

    /// <summary>The noise-free bottom-centre position on <paramref name="frame"/>, or null when the object does not exist then.</summary>
    public (float X, float Y)? PathAt(int frame)
    {
        if (frame < FirstFrame || frame > LastFrame)
        {
            return null;
        }

        for (var i = 1; i < Keyframes.Count; i++)
        {
            var b = Keyframes[i];
            if (frame <= b.Frame)
            {
                var a = Keyframes[i - 1];
                var t = (float)(frame - a.Frame) / (b.Frame - a.Frame);
                return (a.X + (t * (b.X - a.X)), a.Y + (t * (b.Y - a.Y)));
            }
        }

        return (Keyframes[0].X, Keyframes[0].Y);
    }

    /// <summary>True when the object is drawn on <paramref name="frame"/>.</summary>
    public bool IsVisible(int frame)
    {
        if (frame < FirstFrame || frame > LastFrame)
        {
            return false;
        }

        foreach (var gap in Gaps)
        {
            if (gap.Contains(frame))
            {
                return false;
            }
        }

        return true;
    }
}
