using System.Globalization;
using HgCounter.Configuration;
using HgCounter.Frames;

namespace HgCounter.Runtime.Agent;

/// <summary>
/// Lines checked against the picture the source opened: only the stream knows its size, so a line drawn for another
/// resolution (outside the frame) or too short to be crossed is caught here, at open, instead of never counting.
/// </summary>
internal static class LineFrameCheck
{
    /// <summary>Shorter than this a line cannot be crossed reliably by a box's anchor.</summary>
    public const float MinLength = 4;

    /// <summary>Throws <see cref="CameraConfigurationException"/> for the first line of <paramref name="camera"/> that does not fit <paramref name="info"/>.</summary>
    public static void Check(string cameraKey, CameraOptions camera, StreamInfo info)
    {
        if (info.CoordinateWidth <= 0 || info.CoordinateHeight <= 0)
        {
            return; // A source that does not know its size yet; nothing to check against.
        }

        for (var i = 0; i < camera.Lines.Count; i++)
        {
            var line = camera.Lines[i];
            if (line?.Start is not [var x1, var y1] || line.End is not [var x2, var y2])
            {
                continue; // The options validator reports malformed points.
            }

            var key = $"{cameraKey}:Lines:{i}";
            var shown = string.Create(CultureInfo.InvariantCulture, $"line '{line.Name}' [{x1}, {y1}] → [{x2}, {y2}]");
            if (!Inside(x1, y1, info) || !Inside(x2, y2, info))
            {
                throw new CameraConfigurationException(key, string.Create(CultureInfo.InvariantCulture,
                    $"{shown} lies outside the {info.CoordinateWidth}x{info.CoordinateHeight} picture; points must be within [0, {info.CoordinateWidth}] x [0, {info.CoordinateHeight}] pixels."));
            }

            var length = MathF.Sqrt(((x2 - x1) * (x2 - x1)) + ((y2 - y1) * (y2 - y1)));
            if (length < MinLength)
            {
                throw new CameraConfigurationException(key, string.Create(CultureInfo.InvariantCulture,
                    $"{shown} is {length:0.#} px long; a counting line needs at least {MinLength} px."));
            }
        }
    }

    internal static bool Inside(float x, float y, StreamInfo info) =>
        x >= 0 && y >= 0 && x <= info.CoordinateWidth && y <= info.CoordinateHeight;
}
