using HgCounter.Detection;

namespace HgCounter.Inference.Imaging;

/// <summary>
/// How a source frame was placed in the model input by <see cref="LetterboxPreprocessor"/>:
/// model-input pixel <c>x</c> is source pixel <c>(x - PadX) / Scale</c>.
/// </summary>
/// <param name="Scale">Model-input pixels per source pixel (the same on both axes).</param>
/// <param name="PadX">Left padding in model-input pixels.</param>
/// <param name="PadY">Top padding in model-input pixels.</param>
/// <param name="SourceWidth">Width of the source frame; mapped boxes are clipped to it.</param>
/// <param name="SourceHeight">Height of the source frame; mapped boxes are clipped to it.</param>
internal readonly record struct LetterboxTransform(float Scale, float PadX, float PadY, int SourceWidth, int SourceHeight)
{
    /// <summary>
    /// The geometry of Ultralytics' LetterBox for a <paramref name="width"/> × <paramref name="height"/> frame in a
    /// <paramref name="inputWidth"/> × <paramref name="inputHeight"/> input: one scale, centred, the extra padding pixel
    /// at the bottom/right. <paramref name="resizedWidth"/> × <paramref name="resizedHeight"/> is the scaled picture.
    /// </summary>
    public static LetterboxTransform Fit(int width, int height, int inputWidth, int inputHeight, out int resizedWidth, out int resizedHeight)
    {
        var scale = Math.Min((float)inputWidth / width, (float)inputHeight / height);
        resizedWidth = Math.Clamp((int)MathF.Round(width * scale), 1, inputWidth);
        resizedHeight = Math.Clamp((int)MathF.Round(height * scale), 1, inputHeight);
        var left = (int)MathF.Round(((inputWidth - resizedWidth) / 2f) - 0.1f);
        var top = (int)MathF.Round(((inputHeight - resizedHeight) / 2f) - 0.1f);
        return new LetterboxTransform(scale, left, top, width, height);
    }

    /// <summary>Maps a box given by its corners in model-input pixels to source pixels, clipped to the frame.</summary>
    public BoundingBox ToSource(float left, float top, float right, float bottom)
    {
        var inverse = 1f / Scale;
        return BoundingBox.FromCorners(
            Math.Clamp((left - PadX) * inverse, 0, SourceWidth),
            Math.Clamp((top - PadY) * inverse, 0, SourceHeight),
            Math.Clamp((right - PadX) * inverse, 0, SourceWidth),
            Math.Clamp((bottom - PadY) * inverse, 0, SourceHeight));
    }
}
