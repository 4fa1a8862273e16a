namespace HgCounter.Frames;

/// <summary>
/// The largest picture a frame consumer (a detector) makes use of: a larger frame, scaled down to fit inside
/// <see cref="Width"/>×<see cref="Height"/> with its aspect ratio kept, loses nothing for it. A decoder that knows this
/// can deliver the smaller frame and save the conversion, the copy and the consumer's own downscaling.
/// </summary>
/// <param name="Width">Largest useful width in pixels, or <see cref="Unbounded"/>.</param>
/// <param name="Height">Largest useful height in pixels, or <see cref="Unbounded"/>.</param>
public readonly record struct FrameSizeHint(int Width, int Height)
{
    /// <summary>A side without a limit.</summary>
    public const int Unbounded = int.MaxValue;

    /// <summary>A limit on the width only (a consumer that scales every frame to one width).</summary>
    public static FrameSizeHint FromWidth(int width) => new(width, Unbounded);
}
