using HgCounter.Frames;

namespace HgCounter.Detection;

/// <summary>
/// A detector that can work on several frames of its camera at once, so a camera keeps its frame rate while a shared
/// model is busy with other cameras: the caller starts up to <see cref="MaxInFlight"/> calls of
/// <see cref="DetectAsync"/> before awaiting the first, and awaits them in the order they were started. Each call
/// completes in that order, and the frame and list of a call must stay untouched until its call has completed.
/// </summary>
public interface IPipelinedDetector : IDetector
{
    /// <summary>Most calls of <see cref="DetectAsync"/> that may be outstanding at once.</summary>
    int MaxInFlight { get; }

    /// <summary>
    /// Starts detecting <paramref name="frame"/>; when the returned task completes, <paramref name="detections"/> holds its
    /// objects (boxes in frame pixels). Steady-state calls allocate nothing.
    /// </summary>
    /// <exception cref="InvalidOperationException">More than <see cref="MaxInFlight"/> calls are outstanding.</exception>
    ValueTask DetectAsync(Frame frame, List<ObjectDetection> detections);
}
