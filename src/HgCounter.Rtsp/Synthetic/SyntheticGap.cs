namespace HgCounter.Rtsp.Synthetic;

/// <summary>Frames on which an object is not drawn although it keeps moving (occlusion, a missed detection).</summary>
/// <param name="From">First hidden frame.</param>
/// <param name="To">First frame drawn again (exclusive end).</param>
internal readonly record struct SyntheticGap(int From, int To)
{
    /// <summary>True when <paramref name="frame"/> is hidden.</summary>
    public bool Contains(int frame) => frame >= From && frame < To;
}
