using HgCounter.Detection;

namespace HgCounter.Inference.Gating;

/// <summary>
/// A detection of an earlier frame, kept while nothing moves where it is. Only a still object is held: one whose box
/// barely changed between its last two detections, or one seen for the first time. A moving object that vanishes without motion (it walked behind a
/// pillar, or the picture shows plain background again) is not held, so no ghost box is left behind.
/// </summary>
/// <param name="Detection">The detection as last seen.</param>
/// <param name="Age">Frames since the model last saw it.</param>
/// <param name="IsStill">True unless its last detection moved clearly away from the one before.</param>
internal readonly record struct HeldDetection(ObjectDetection Detection, int Age, bool IsStill)
{
    /// <summary>IoU between consecutive boxes of an object above which it counts as still.</summary>
    public const float StillIoU = 0.85f;
}
