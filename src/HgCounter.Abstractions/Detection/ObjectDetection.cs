namespace HgCounter.Detection;

/// <summary>One detected object in a frame.</summary>
/// <param name="Box">Box in pixels of the frame the detector saw; in source (coordinate) pixels once the counting pipeline mapped it.</param>
/// <param name="ClassId">Class index of the detector's model.</param>
/// <param name="Label">Class name, e.g. <c>person</c>; an interned string of the detector, not allocated per detection.</param>
/// <param name="Confidence">Confidence in [0, 1].</param>
public readonly record struct ObjectDetection(BoundingBox Box, int ClassId, string Label, float Confidence);
