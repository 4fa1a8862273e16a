namespace HgCounter.Rtsp.Synthetic;

/// <summary>What a synthetic object looks like; both match what <c>models/synthetic-yolov8.onnx</c> detects.</summary>
internal enum SyntheticObjectKind
{
    /// <summary>Class <c>person</c>: a filled BGR (60, 180, 255) rectangle, W/20 wide and W/10 tall for a frame W pixels wide (32×64 at 640).</summary>
    Person = 0,
    /// <summary>Class <c>car</c>: a filled BGR (255, 160, 60) rectangle, W/10 wide and W/20 tall (64×32 at 640).</summary>
    Car = 1,
}
