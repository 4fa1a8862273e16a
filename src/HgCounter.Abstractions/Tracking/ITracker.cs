using HgCounter.Detection;

namespace HgCounter.Tracking;

/// <summary>Associates detections across frames into tracks with stable ids. One instance per camera; not thread-safe.</summary>
public interface ITracker
{
    /// <summary>
    /// Advances one frame: matches <paramref name="detections"/> to tracks, then clears <paramref name="tracks"/> and fills it
    /// with the live tracks (confirmed or not). Allocates nothing in steady state.
    /// </summary>
    void Update(IReadOnlyList<ObjectDetection> detections, List<Track> tracks);

    /// <summary>Forgets every track (after a reconnect the scene may have changed).</summary>
    void Reset();
}
