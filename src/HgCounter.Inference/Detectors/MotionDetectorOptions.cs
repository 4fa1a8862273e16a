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

    /// <summary>Label given to motion blobs.</summary>
    public string Label { get; set; } = "object";
}
