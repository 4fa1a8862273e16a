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
    /// The largest picture this detector makes use of, or <c>null</c> (the default) when it wants frames at full size.
    /// Frames larger than this lose nothing for it when scaled down to fit (aspect kept), so the decoder delivers them at
    /// that size; lines and counted boxes stay in the camera's coordinates (<see cref="Frame.CoordinateWidth"/>).
    /// </summary>
    FrameSizeHint? PreferredFrameSize => null;

    /// <summary>
    /// Clears <paramref name="detections"/> and fills it with the objects found in <paramref name="frame"/>, boxes in the
    /// frame's own pixels (the counting pipeline maps them to coordinate pixels with <see cref="Frame.CoordinateScaleX"/>
    /// and <see cref="Frame.CoordinateScaleY"/>). Size thresholds given in source pixels are compared in coordinate pixels.
    /// Steady-state calls allocate nothing when the list has enough capacity.
    /// </summary>
    void Detect(Frame frame, List<ObjectDetection> detections);

    /// <summary>
    /// The stream starts again after a reconnect, and the picture may differ from the last one seen (another exposure, a
    /// moved camera, whatever happened while it was away): a detector that learns the scene, such as a background model,
    /// forgets it and learns it again. Called on the camera's loop, before the first frame of the new connection. The
    /// default does nothing.
    /// </summary>
    void StreamRestarted()
    {
    }
}
