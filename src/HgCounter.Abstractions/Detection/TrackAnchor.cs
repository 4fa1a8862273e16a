namespace HgCounter.Detection;

/// <summary>Which point of a box is tested against counting lines.</summary>
public enum TrackAnchor
{
    /// <summary>Bottom centre: feet on the floor; the default for people seen from above at an angle.</summary>
    BottomCenter = 0,
    /// <summary>Box centre: for top-down cameras.</summary>
    Center,
    /// <summary>Top centre: heads, when feet are often hidden.</summary>
    TopCenter,
}
