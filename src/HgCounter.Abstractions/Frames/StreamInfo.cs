namespace HgCounter.Frames;

/// <summary>What a source learned about its stream when it opened.</summary>
/// <param name="Width">Frame width in pixels as delivered (after any scaling).</param>
/// <param name="Height">Frame height in pixels as delivered.</param>
/// <param name="FramesPerSecond">Nominal rate of the delivered frames, or 0 when unknown.</param>
/// <param name="Codec">Codec name such as <c>h264</c>, or <c>null</c> when unknown.</param>
/// <param name="IsLive">False for finite sources (files) that end.</param>
public sealed record StreamInfo(int Width, int Height, double FramesPerSecond, string? Codec, bool IsLive)
{
    /// <summary>
    /// Width of the camera's coordinate space, in which lines and boxes are given: the stream's own width, or the
    /// configured output width when the camera is rescaled on purpose. Larger than <see cref="Width"/> when the decoder
    /// scaled frames down for the detector (see <see cref="Frame.CoordinateScaleX"/>); equal to it otherwise.
    /// </summary>
    public int CoordinateWidth { get; init; } = Width;

    /// <summary>Height of the camera's coordinate space (see <see cref="CoordinateWidth"/>).</summary>
    public int CoordinateHeight { get; init; } = Height;
}
