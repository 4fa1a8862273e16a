using System.ComponentModel.DataAnnotations;

namespace HgCounter.Configuration;

/// <summary>
/// Motion-gated, region-cropped detection for the <c>onnx</c> detector (<c>HgCounter:Detectors:Onnx:Gating</c>): a cheap
/// motion stage finds where the picture changes, the model runs only on crops around those areas (packed with other
/// cameras' crops into one model input), objects that stop moving keep their last boxes and are re-checked now and
/// then, and a full-frame pass runs every so many frames with motion to catch what the crops missed. With nothing moving and nothing to
/// re-check, the model does not run at all.
/// </summary>
public sealed class MotionGatingOptions
{
    /// <summary>Gate detection by motion (default). When false every frame gets a full-frame inference.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>A full-frame pass after this many frames with motion (frames where nothing moves are not counted, so a still scene costs nothing).</summary>
    [Range(1, 100_000)]
    public int FullFrameEvery { get; set; } = 50;

    /// <summary>Objects that stopped moving keep their last box and are detected again after this many frames.</summary>
    [Range(1, 10_000)]
    public int RecheckEvery { get; set; } = 10;

    /// <summary>When the crops would cover more than this share of the frame, the frame is detected whole instead.</summary>
    [Range(0.05, 1.0)]
    public double MaxCropFraction { get; set; } = 0.5;

    /// <summary>Margin added around each moving area, as a share of the area's larger side (at least 16 pixels).</summary>
    [Range(0.0, 4.0)]
    public double Padding { get; set; } = 0.25;

    /// <summary>Cell edge of the motion grid in frame pixels (the motion stage works on one value per cell).</summary>
    [Range(4, 128)]
    public int MotionCellSize { get; set; } = 8;

    /// <summary>Change in a cell's mean brightness (0–255) against the background that counts as motion.</summary>
    [Range(1.0, 255.0)]
    public double MotionThreshold { get; set; } = 12;
}
