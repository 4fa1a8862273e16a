using HgCounter.Tracking;
using OpenCvSharp;

namespace HgCounter.Snapshots;

/// <summary>
/// A frame taken out of a camera's snapshot slot for one request: the reader's own copy of the pixels and the confirmed
/// tracks of that frame. Owns <see cref="Image"/>.
/// </summary>
internal sealed class SnapshotCapture(Mat image, int coordinateWidth, int coordinateHeight, Track[] tracks, DateTimeOffset capturedAt) : IDisposable
{
    /// <summary>BGR pixels at the size the decoder delivered.</summary>
    public Mat Image { get; } = image;

    /// <summary>Width of the camera's coordinate space (lines, zones, boxes).</summary>
    public int CoordinateWidth { get; } = coordinateWidth;

    /// <summary>Height of the camera's coordinate space.</summary>
    public int CoordinateHeight { get; } = coordinateHeight;

    /// <summary>Confirmed tracks on this frame, in coordinate pixels.</summary>
    public IReadOnlyList<Track> Tracks { get; } = tracks;

    /// <summary>When the camera loop copied the frame.</summary>
    public DateTimeOffset CapturedAt { get; } = capturedAt;

    public void Dispose() => Image.Dispose();
}
