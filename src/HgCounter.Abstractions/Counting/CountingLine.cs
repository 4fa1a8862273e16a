using HgCounter.Detection;

namespace HgCounter.Counting;

/// <summary>A named counting segment in source-frame pixels.</summary>
/// <param name="Name">Line name, unique per camera.</param>
/// <param name="Start">First end point.</param>
/// <param name="End">Second end point; the In direction follows from the order of the points (see <see cref="CrossingDirection"/>).</param>
public sealed record CountingLine(string Name, Point2 Start, Point2 End)
{
    /// <summary>Segment length in pixels.</summary>
    public float Length => (End - Start).Length;

    /// <summary>
    /// Signed distance of <paramref name="p"/> from the infinite line through the segment, in pixels:
    /// positive on the side that In crossings start from.
    /// </summary>
    public float SignedDistance(Point2 p)
    {
        var d = End - Start;
        var length = d.Length;
        return length == 0 ? 0 : Point2.Cross(d, p - Start) / length;
    }

    /// <summary>Position of the projection of <paramref name="p"/> along the segment: 0 at Start, 1 at End.</summary>
    public float Projection(Point2 p)
    {
        var d = End - Start;
        var lengthSquared = Point2.Dot(d, d);
        return lengthSquared == 0 ? 0 : Point2.Dot(p - Start, d) / lengthSquared;
    }
}
