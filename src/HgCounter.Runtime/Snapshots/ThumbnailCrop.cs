using System.Buffers;
using HgCounter.Detection;
using HgCounter.Frames;

namespace HgCounter.Snapshots;

/// <summary>
/// The pixels of one object's box (with a margin), copied off a frame by the camera loop into a pooled buffer. The
/// writer that takes it returns <see cref="Pixels"/> to <see cref="ArrayPool{T}.Shared"/>.
/// </summary>
internal readonly record struct ThumbnailCrop(Guid EventId, string Camera, byte[] Pixels, int Width, int Height)
{
    /// <summary>Margin added on each side, as a share of the box's size: the object with a little of its surroundings.</summary>
    public const float Margin = 0.15f;

    /// <summary>
    /// Copies <paramref name="box"/> (camera coordinate pixels) plus <see cref="Margin"/> out of <paramref name="frame"/>:
    /// one row copy per crop row, at most the frame's size. False when the box lies outside the frame.
    /// </summary>
    public static bool TryCopy(Frame frame, BoundingBox box, Guid eventId, out ThumbnailCrop crop)
    {
        // Boxes are in the camera's coordinate space; a frame the decoder scaled down is smaller.
        var sx = frame.CoordinateScaleX;
        var sy = frame.CoordinateScaleY;
        var mx = box.Width * Margin;
        var my = box.Height * Margin;
        var left = Math.Clamp((int)Math.Floor((box.X - mx) / sx), 0, frame.Width);
        var top = Math.Clamp((int)Math.Floor((box.Y - my) / sy), 0, frame.Height);
        var right = Math.Clamp((int)Math.Ceiling((box.X + box.Width + mx) / sx), 0, frame.Width);
        var bottom = Math.Clamp((int)Math.Ceiling((box.Y + box.Height + my) / sy), 0, frame.Height);
        var width = right - left;
        var height = bottom - top;
        if (width < 2 || height < 2)
        {
            crop = default;
            return false;
        }

        var rowBytes = width * 3;
        var pixels = ArrayPool<byte>.Shared.Rent(rowBytes * height);
        var source = frame.Pixels;
        for (var row = 0; row < height; row++)
        {
            source.Slice(((top + row) * frame.Stride) + (left * 3), rowBytes).CopyTo(pixels.AsSpan(row * rowBytes, rowBytes));
        }

        crop = new ThumbnailCrop(eventId, frame.CameraName, pixels, width, height);
        return true;
    }
}
