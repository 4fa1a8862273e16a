namespace HgCounter.Reliability.Watchdog;

/// <summary>
/// A cheap fingerprint of a frame's pixels for frozen-frame detection: 64-bit FNV-1a over the length and a strided sample
/// of the bytes. A live camera changes at least its sensor noise between frames; a frozen encoder repeats identical bytes.
/// Allocates nothing.
/// </summary>
public static class FrameContentHash
{
    /// <summary>Bytes sampled by default (spread evenly over the frame).</summary>
    public const int DefaultSamples = 4096;

    private const ulong OffsetBasis = 14695981039346656037UL;
    private const ulong Prime = 1099511628211UL;

    /// <summary>Hashes up to <paramref name="samples"/> bytes spread evenly over <paramref name="pixels"/>.</summary>
    public static ulong Compute(ReadOnlySpan<byte> pixels, int samples = DefaultSamples)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(samples, 1);
        var hash = OffsetBasis;
        hash = Mix(hash, (ulong)pixels.Length);
        if (pixels.IsEmpty)
        {
            return hash;
        }

        var step = Math.Max(1, pixels.Length / samples);
        for (var i = 0; i < pixels.Length; i += step)
        {
            hash = (hash ^ pixels[i]) * Prime;
        }

        return hash;
    }

    private static ulong Mix(ulong hash, ulong value)
    {
        for (var i = 0; i < 8; i++)
        {
            hash = (hash ^ (byte)(value >> (i * 8))) * Prime;
        }

        return hash;
    }
}
