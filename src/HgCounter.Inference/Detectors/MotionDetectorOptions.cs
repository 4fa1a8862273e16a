using System.ComponentModel.DataAnnotations;

namespace HgCounter.Configuration;

/// <summary>Background-subtraction (MOG2) motion detector.</summary>
public sealed class MotionDetectorOptions
{
    /// <summary>Frames of history of the background model.</summary>
    [Range(1, 10000)]
    public int History { get; set; } = 200;

    /// <summary>MOG2 variance threshold; higher is less sensitive.</summary>
    [Range(1.0, 1000.0)]
    public double VarThreshold { get; set; } = 25;

    /// <summary>Smallest blob area, in source pixels, reported as an object.</summary>
    [Range(1, 10_000_000)]
    public int MinArea { get; set; } = 400;

    /// <summary>
    /// Frames the background model learns before any blob is reported: at camera start, after a reconnect and after the
    /// picture changed as a whole (<see cref="RelearnAboveFraction"/>). A model that has seen one frame takes anyone in
    /// it for floor and everything that moves for new objects, so early blobs are half-people and ghosts.
    /// </summary>
    [Range(0, 10000)]
    public int WarmupFrames { get; set; } = 10;

    /// <summary>
    /// Share of the picture (0–1) that may differ from the background at once before the change is taken for the whole
    /// scene changing (lights switched, infrared mode, the camera knocked) rather than for objects: the background is then
    /// learnt again from that frame, with <see cref="WarmupFrames"/> of warm-up, instead of one blob the size of the frame.
    /// </summary>
    [Range(0.05, 1.0)]
    public double RelearnAboveFraction { get; set; } = 0.6;

    /// <summary>
    /// How far, in heights of the larger blob, a much smaller blob (<see cref="FragmentAreaRatio"/>) may be from it and
    /// still be taken for a part of it (a bicycle's wheel beside the person pushing it, a bag, a limb) rather than an
    /// object of its own. 0 turns the merging off.
    /// </summary>
    [Range(0.0, 5.0)]
    public double FragmentReach { get; set; } = 0.5;

    /// <summary>The largest share of a blob's area a neighbour may have and still be merged into it as a fragment.</summary>
    [Range(0.01, 0.9)]
    public double FragmentAreaRatio { get; set; } = 0.3;

    /// <summary>Label given to motion blobs.</summary>
    public string Label { get; set; } = "object";
}
