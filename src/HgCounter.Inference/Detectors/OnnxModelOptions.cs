using System.ComponentModel.DataAnnotations;

namespace HgCounter.Configuration;

/// <summary>
/// A named model of the <c>onnx</c> detector (<c>HgCounter:Detectors:Onnx:Models:NAME</c>), used by the cameras whose
/// <c>Model</c> is NAME. It is loaded once, and its one inference session and scheduler serve all of them. Everything not
/// set here (threads, workers, gating, execution provider, detection scale) comes from <c>HgCounter:Detectors:Onnx</c>.
/// </summary>
public sealed class OnnxModelOptions
{
    /// <summary>Path of the <c>.onnx</c> file (a YOLOv5, YOLOv8 or YOLO11 export).</summary>
    [Required]
    public string? ModelPath { get; set; }

    /// <summary>Classes to keep, by name; empty keeps all. A camera's own <c>Classes</c> replace these for that camera.</summary>
    public IList<string> Classes { get; } = [];

    /// <summary>Minimum confidence; null uses <c>HgCounter:Detectors:Onnx:Confidence</c>. A camera's own <c>Confidence</c> replaces it for that camera.</summary>
    [Range(0.0, 1.0, MinimumIsExclusive = true)]
    public float? Confidence { get; set; }

    /// <summary>IoU above which non-maximum suppression removes the weaker box of the same class; null uses the detector's.</summary>
    [Range(0.0, 1.0)]
    public float? NmsThreshold { get; set; }
}
