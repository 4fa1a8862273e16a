using System.ComponentModel.DataAnnotations;

namespace HgCounter.Inference.Tracking;

/// <summary>Settings of <see cref="ByteTracker"/>. Frame counts are in processed frames, so they scale with the camera's target fps.</summary>
public sealed class TrackerOptions
{
    /// <summary>Detections at or above this confidence are matched first and may start new tracks.</summary>
    [Range(0.0, 1.0)]
    public float HighThreshold { get; set; } = 0.5f;

    /// <summary>Detections in [<see cref="LowThreshold"/>, <see cref="HighThreshold"/>) only extend tracks left unmatched by the first stage; lower ones are ignored.</summary>
    [Range(0.0, 1.0)]
    public float LowThreshold { get; set; } = 0.1f;

    /// <summary>Smallest IoU between a track's predicted box and a detection for them to match.</summary>
    [Range(0.01, 1.0)]
    public float MatchIoU { get; set; } = 0.2f;

    /// <summary>Matches needed before a track is confirmed; unconfirmed tracks are never counted.</summary>
    [Range(1, 1000)]
    public int MinHits { get; set; } = 3;

    /// <summary>Consecutive missed frames a confirmed track is kept (on its predicted box) before it is dropped.</summary>
    [Range(0, 10000)]
    public int MaxAge { get; set; } = 30;

    /// <summary>
    /// How far (in multiples of the track box's larger side) from its predicted or last seen centre a confident detection
    /// may be to continue a track that IoU could not match: a person moving more than a box width between frames at
    /// 3 fps, or re-found after a short occlusion near a line.
    /// </summary>
    [Range(0.0, 10.0)]
    public float ReattachDistance { get; set; } = 1.0f;

    /// <summary>Throws <see cref="ArgumentException"/> when the values contradict each other.</summary>
    public void Validate()
    {
        if (LowThreshold > HighThreshold)
        {
            throw new ArgumentException($"TrackerOptions.LowThreshold ({LowThreshold}) must not exceed HighThreshold ({HighThreshold}).");
        }

        if (MinHits < 1 || MaxAge < 0 || MatchIoU <= 0 || MatchIoU > 1 || ReattachDistance < 0)
        {
            throw new ArgumentException("TrackerOptions: MinHits ≥ 1, MaxAge ≥ 0, MatchIoU in (0, 1] and ReattachDistance ≥ 0 are required.");
        }
    }
}
