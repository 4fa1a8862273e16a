namespace HgCounter.Inference.Detectors;

/// <summary>How a YOLO export lays out its single detection output.</summary>
public enum YoloOutputLayout
{
    /// <summary>
    /// YOLOv8 / YOLO11 (and YOLOv9 from Ultralytics): <c>[1, 4 + C, N]</c>, rows <c>cx, cy, w, h</c> then one score per class,
    /// no objectness.
    /// </summary>
    V8 = 0,

    /// <summary>YOLOv5: <c>[1, N, 5 + C]</c>, each candidate <c>cx, cy, w, h, objectness</c> then class probabilities.</summary>
    V5,
}
