namespace HgCounter.Detection;

/// <summary>An axis-aligned box in source-frame pixels (x right, y down).</summary>
/// <param name="X">Left edge.</param>
/// <param name="Y">Top edge.</param>
/// <param name="Width">Width, ≥ 0.</param>
/// <param name="Height">Height, ≥ 0.</param>
public readonly record struct BoundingBox(float X, float Y, float Width, float Height)
{
    /// <summary>Right edge.</summary>
    public float Right => X + Width;

    /// <summary>Bottom edge.</summary>
    public float Bottom => Y + Height;

    /// <summary>Area in square pixels.</summary>
    public float Area => Width * Height;

    /// <summary>Centre point.</summary>
    public Point2 Center => new(X + (Width / 2), Y + (Height / 2));

    /// <summary>Bottom-centre point: where a person's feet touch the floor.</summary>
    public Point2 BottomCenter => new(X + (Width / 2), Y + Height);

    /// <summary>Creates a box from its corners.</summary>
    public static BoundingBox FromCorners(float left, float top, float right, float bottom) =>
        new(left, top, Math.Max(0, right - left), Math.Max(0, bottom - top));

    /// <summary>Intersection over union with <paramref name="other"/>, in [0, 1].</summary>
    public float IoU(BoundingBox other)
    {
        var w = Math.Min(Right, other.Right) - Math.Max(X, other.X);
        var h = Math.Min(Bottom, other.Bottom) - Math.Max(Y, other.Y);
        if (w <= 0 || h <= 0)
        {
            return 0f;
        }

        var intersection = w * h;
        var union = Area + other.Area - intersection;
        return union <= 0 ? 0f : intersection / union;
    }

    /// <summary>The point of this box selected by <paramref name="anchor"/>.</summary>
    public Point2 AnchorPoint(TrackAnchor anchor) => anchor switch
    {
        TrackAnchor.Center => Center,
        TrackAnchor.TopCenter => new(X + (Width / 2), Y),
        _ => BottomCenter,
    };
}
