namespace HgCounter.Rtsp.Synthetic;

/// <summary>Where an object's bottom-centre point is on a frame; positions between keyframes are interpolated linearly.</summary>
/// <param name="Frame">Frame index within the scene.</param>
/// <param name="X">Bottom-centre x in pixels.</param>
/// <param name="Y">Bottom-centre y in pixels (the object's feet or wheels).</param>
internal readonly record struct SyntheticKeyframe(int Frame, float X, float Y);
