using HgCounter.Detection;

namespace HgCounter.Counting;

/// <summary>
/// A zone's outline in source pixels: the zone counter's point-in-polygon test, the configuration checks and the
/// synthetic scenes' ground truth share this one definition.
/// </summary>
public sealed class ZonePolygon
{
    private readonly Point2[] _points;

    /// <summary>Creates the outline from its corners, in order.</summary>
    public ZonePolygon(IReadOnlyList<Point2> points)
    {
        ArgumentNullException.ThrowIfNull(points);
        _points = [.. points];
    }

    /// <summary>The corners, in order.</summary>
    public IReadOnlyList<Point2> Points => _points;

    /// <summary>The corners of configuration (<c>[[x, y], …]</c>), or null when an entry is not a pair of finite numbers.</summary>
    public static Point2[]? TryParse(float[][]? points)
    {
        if (points is null)
        {
            return null;
        }

        var result = new Point2[points.Length];
        for (var i = 0; i < points.Length; i++)
        {
            if (points[i] is not [var x, var y] || !float.IsFinite(x) || !float.IsFinite(y))
            {
                return null;
            }

            result[i] = new Point2(x, y);
        }

        return result;
    }

    /// <summary>Whether <paramref name="p"/> is inside (even-odd rule; a point on an edge may fall either way, inertia absorbs it).</summary>
    public bool Contains(Point2 p)
    {
        var inside = false;
        var points = _points;
        for (int i = 0, j = points.Length - 1; i < points.Length; j = i++)
        {
            var a = points[i];
            var b = points[j];
            if ((a.Y > p.Y) != (b.Y > p.Y) && p.X < ((b.X - a.X) * (p.Y - a.Y) / (b.Y - a.Y)) + a.X)
            {
                inside = !inside;
            }
        }

        return inside;
    }

    /// <summary>Twice the signed area (shoelace); zero when every corner lies on one line.</summary>
    public static float DoubleArea(IReadOnlyList<Point2> points)
    {
        ArgumentNullException.ThrowIfNull(points);
        var sum = 0f;
        for (int i = 0, j = points.Count - 1; i < points.Count; j = i++)
        {
            sum += Point2.Cross(points[j], points[i]);
        }

        return sum;
    }

    /// <summary>
    /// The first two edges that cross or touch, other than neighbours meeting at their shared corner: edge <c>k</c> runs
    /// from corner <c>k</c> to corner <c>k + 1</c> (the last closes the outline). False when the outline is simple.
    /// </summary>
    public static bool TryFindCrossingEdges(IReadOnlyList<Point2> points, out int first, out int second)
    {
        ArgumentNullException.ThrowIfNull(points);
        var n = points.Count;
        for (var i = 0; i < n; i++)
        {
            for (var j = i + 1; j < n; j++)
            {
                var neighbours = j == i + 1 || (i == 0 && j == n - 1);
                if (neighbours)
                {
                    continue;
                }

                if (SegmentsTouch(points[i], points[(i + 1) % n], points[j], points[(j + 1) % n]))
                {
                    first = i;
                    second = j;
                    return true;
                }
            }
        }

        first = second = -1;
        return false;
    }

    private static bool SegmentsTouch(Point2 p1, Point2 p2, Point2 q1, Point2 q2)
    {
        var d1 = Side(q1, q2, p1);
        var d2 = Side(q1, q2, p2);
        var d3 = Side(p1, p2, q1);
        var d4 = Side(p1, p2, q2);
        if (((d1 > 0 && d2 < 0) || (d1 < 0 && d2 > 0)) && ((d3 > 0 && d4 < 0) || (d3 < 0 && d4 > 0)))
        {
            return true;
        }

        return (d1 == 0 && OnSegment(q1, q2, p1)) || (d2 == 0 && OnSegment(q1, q2, p2))
            || (d3 == 0 && OnSegment(p1, p2, q1)) || (d4 == 0 && OnSegment(p1, p2, q2));
    }

    private static float Side(Point2 a, Point2 b, Point2 p) => Point2.Cross(b - a, p - a);

    private static bool OnSegment(Point2 a, Point2 b, Point2 p) =>
        p.X >= MathF.Min(a.X, b.X) && p.X <= MathF.Max(a.X, b.X) && p.Y >= MathF.Min(a.Y, b.Y) && p.Y <= MathF.Max(a.Y, b.Y);
}
