namespace HgCounter.Frames;

/// <summary>What a source learned about its stream when it opened.</summary>
/// <param name="Width">Frame width in pixels as delivered (after any scaling).</param>
/// <param name="Height">Frame height in pixels as delivered.</param>
/// <param name="FramesPerSecond">Nominal frame rate, or 0 when unknown.</param>
/// <param name="Codec">Codec name such as <c>h264</c>, or <c>null</c> when unknown.</param>
/// <param name="IsLive">False for finite sources (files) that end.</param>
public sealed record StreamInfo(int Width, int Height, double FramesPerSecond, string? Codec, bool IsLive);
