namespace HgCounter.Counting;

/// <summary>
/// Direction of a line crossing. In image coordinates (x right, y down), a track whose anchor moves from the side where
/// <c>cross(End − Start, P − Start) &gt; 0</c> to the side where it is &lt; 0 crosses <see cref="In"/>; the opposite move is
/// <see cref="Out"/>. For a line from (320,0) to (320,360), moving left to right is In.
/// </summary>
public enum CrossingDirection
{
    /// <summary>From the positive side to the negative side.</summary>
    In = 0,
    /// <summary>From the negative side to the positive side.</summary>
    Out = 1,
}
