using Microsoft.Extensions.Options;

namespace HgCounter.Configuration;

/// <summary>Settings of the built-in detectors.</summary>
public sealed class DetectorsOptions
{
    /// <summary>ONNX YOLO detector.</summary>
    [ValidateObjectMembers]
    public OnnxDetectorOptions Onnx { get; set; } = new();

    /// <summary>Background-subtraction motion detector.</summary>
    [ValidateObjectMembers]
    public MotionDetectorOptions Motion { get; set; } = new();
}
