namespace HgCounter.Detection;

/// <summary>A point in source-frame pixels (x right, y down).</summary>
public readonly record struct Point2(float X, float Y)
{
    /// <summary>Vector difference.</summary>
    public static Point2 operator -(Point2 a, Point2 b) => new(a.X - b.X, a.Y - b.Y);

    /// <summary>Vector sum.</summary>
    public static Point2 operator +(Point2 a, Point2 b) => new(a.X + b.X, a.Y + b.Y);

    /// <summary>Z component of the 2-D cross product <c>a × b</c>.</summary>
    public static float Cross(Point2 a, Point2 b) => (a.X * b.Y) - (a.Y * b.X);

    /// <summary>Dot product.</summary>
    public static float Dot(Point2 a, Point2 b) => (a.X * b.X) + (a.Y * b.Y);

    /// <summary>Euclidean length of this point as a vector.</summary>
    public float Length => MathF.Sqrt((X * X) + (Y * Y));

    /// <summary>Vector difference (named alternative to the operator).</summary>
    public static Point2 Subtract(Point2 a, Point2 b) => a - b;

    /// <summary>Vector sum (named alternative to the operator).</summary>
    public static Point2 Add(Point2 a, Point2 b) => a + b;
}
