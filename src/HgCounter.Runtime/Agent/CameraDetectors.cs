using HgCounter.Configuration;
using HgCounter.Detection;
using HgCounter.Inference.Detectors;

namespace HgCounter.Runtime.Agent;

/// <summary>Creates a camera's detector; the <c>onnx</c> detector also gets the camera's model, classes and confidence.</summary>
internal static class CameraDetectors
{
    public static IDetector Create(IDetectorFactory factory, CameraOptions camera) =>
        factory is OnnxDetectorFactory onnx ? onnx.Create(camera) : factory.Create(camera.Name);
}
