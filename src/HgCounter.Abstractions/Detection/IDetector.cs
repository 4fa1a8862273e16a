using HgCounter.Frames;

namespace HgCounter.Detection;

/// <summary>
/// Finds objects in a frame. One instance serves one camera (it may keep per-stream state such as a background model
/// or preprocessing buffers); heavy shared state such as an ONNX session is shared by the factory that creates it.
/// </summary>
public interface IDetector : IDisposable
{
    /// <summary>Class names the detector can report, indexed by class id.</summary>
    IReadOnlyList<string> ClassNames { get; }

    /// <summary>
    /// Clears <paramref name="detections"/> and fills it with the objects found in <paramref name="frame"/>, boxes in source pixels.
    /// Steady-state calls allocate nothing when the list has enough capacity.
    /// </summary>
    void Detect(Frame frame, List<ObjectDetection> detections);
}
