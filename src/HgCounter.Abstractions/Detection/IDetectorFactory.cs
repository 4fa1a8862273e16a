namespace HgCounter.Detection;

/// <summary>Creates the detector of one kind (e.g. <c>motion</c>, <c>onnx</c>) for a camera.</summary>
public interface IDetectorFactory
{
    /// <summary>The name used in configuration (<c>HgCounter:Cameras:N:Detector</c>), case-insensitive.</summary>
    string Name { get; }

    /// <summary>Creates a detector for the named camera; the caller owns and disposes it.</summary>
    IDetector Create(string cameraName);
}
