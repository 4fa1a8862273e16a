namespace HgCounter.Runtime.Configuration;

/// <summary>Declares a detector name that cameras may use; validation rejects any other.</summary>
/// <param name="Name">Name as used in <c>HgCounter:Cameras:N:Detector</c>.</param>
/// <param name="RequiresModelFile">True when the detector needs <c>HgCounter:Detectors:Onnx:ModelPath</c>.</param>
internal sealed record DetectorRegistration(string Name, bool RequiresModelFile = false);
