using OpenCvSharp;

namespace HgCounter.Snapshots;

/// <summary>
/// The fixed overlay colours (BGR), so a picture reads the same on every camera and in the docs: lines magenta,
/// zones cyan, tracks green, labels white on black.
/// </summary>
internal static class OverlayColors
{
    /// <summary>Counting lines, their In arrow and In/Out labels: magenta (255, 0, 255).</summary>
    public static readonly Scalar Line = new(255, 0, 255);

    /// <summary>Zone outlines: cyan (0, 255, 255 as RGB).</summary>
    public static readonly Scalar Zone = new(255, 255, 0);

    /// <summary>Confirmed track boxes: green.</summary>
    public static readonly Scalar Track = new(0, 255, 0);

    /// <summary>Label text.</summary>
    public static readonly Scalar Text = new(255, 255, 255);

    /// <summary>Box behind label text, so it reads on any picture.</summary>
    public static readonly Scalar TextBackground = new(0, 0, 0);
}
