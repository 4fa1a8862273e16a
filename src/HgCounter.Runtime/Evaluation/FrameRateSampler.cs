namespace HgCounter.Runtime.Evaluation;

/// <summary>
/// Picks frames of a recording at a lower rate, evenly in time, as a decoder's frame-rate filter does: frame i is kept
/// when it is the first at or after the next tick of the wanted rate (10 fps at 3 fps keeps frames 0, 4, 7, 10, …).
/// </summary>
internal readonly struct FrameRateSampler
{
    private readonly double _ratio;

    /// <param name="recorded">The recording's frame rate (0 when unknown: every frame is kept).</param>
    /// <param name="wanted">The rate to sample at; null, or at or above <paramref name="recorded"/>, keeps every frame.</param>
    public FrameRateSampler(double recorded, double? wanted)
    {
        _ratio = wanted is { } w && recorded > 0 && w < recorded ? w / recorded : 1;
        Rate = recorded > 0 ? recorded * _ratio : wanted ?? 0;
    }

    /// <summary>The rate of the kept frames.</summary>
    public double Rate { get; }

    /// <summary>Whether frame <paramref name="index"/> (0-based) is kept.</summary>
    public bool Keep(long index) =>
        _ratio >= 1 || index == 0 || Math.Floor((index * _ratio) + 1e-9) > Math.Floor(((index - 1) * _ratio) + 1e-9);
}
