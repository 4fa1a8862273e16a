using HgCounter.Detection;

namespace HgCounter.Tracking;

/// <summary>An object followed across frames.</summary>
/// <param name="Id">Stable id, unique within the tracker's lifetime.</param>
/// <param name="Box">Current box in source pixels (the matched detection, or the predicted box while missed).</param>
/// <param name="ClassId">Class index.</param>
/// <param name="Label">Class name.</param>
/// <param name="Confidence">Confidence of the last matched detection.</param>
/// <param name="IsConfirmed">True once the track has been matched on enough frames; unconfirmed tracks never count.</param>
/// <param name="Hits">Frames on which the track was matched.</param>
/// <param name="MissedFrames">Consecutive frames without a match (0 when matched on this frame).</param>
public readonly record struct Track(long Id, BoundingBox Box, int ClassId, string Label, float Confidence, bool IsConfirmed, int Hits, int MissedFrames);
