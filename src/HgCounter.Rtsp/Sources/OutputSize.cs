namespace HgCounter.Rtsp.Sources;

/// <summary>Computes the delivered frame size from the stream size and the optional requested width/height.</summary>
internal static class OutputSize
{
    /// <summary>Both set: exactly that. One set: the other follows the aspect ratio (rounded to even). None: the stream's size.</summary>
    public static (int Width, int Height) Compute(int sourceWidth, int sourceHeight, int? width, int? height)
    {
        return (width, height) switch
        {
            ({ } w, { } h) => (w, h),
            ({ } w, null) => (w, Even((double)sourceHeight * w / sourceWidth)),
            (null, { } h) => (Even((double)sourceWidth * h / sourceHeight), h),
            _ => (sourceWidth, sourceHeight),
        };
    }

    // Half away from zero, as ffmpeg's own -2 (av_rescale) rounds.
    private static int Even(double value) => Math.Max(2, (int)Math.Round(value / 2, MidpointRounding.AwayFromZero) * 2);
}
