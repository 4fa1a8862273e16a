namespace HgCounter.Snapshots;

/// <summary>One camera picture as JPEG, taken from the latest processed frame.</summary>
/// <param name="Camera">Camera name.</param>
/// <param name="Jpeg">The encoded picture.</param>
/// <param name="Width">Picture width in pixels.</param>
/// <param name="Height">Picture height in pixels.</param>
/// <param name="CapturedAt">When the camera loop handed the frame over.</param>
/// <param name="HasOverlay">Whether lines, zones and tracks are drawn on it.</param>
public sealed record CameraSnapshot(string Camera, ReadOnlyMemory<byte> Jpeg, int Width, int Height, DateTimeOffset CapturedAt, bool HasOverlay);
