using System.Globalization;
using HgCounter.Configuration;
using HgCounter.Frames;

namespace HgCounter.Runtime.Agent;

/// <summary>
/// Zones checked against the picture the source opened, as <see cref="LineFrameCheck"/> checks lines: a zone drawn for
/// another resolution would never hold anyone, so it fails the camera at open with the zone's key.
/// </summary>
internal static class ZoneFrameCheck
{
    /// <summary>Throws <see cref="CameraConfigurationException"/> for the first zone corner of <paramref name="camera"/> outside <paramref name="info"/>.</summary>
    public static void Check(string cameraKey, CameraOptions camera, StreamInfo info)
    {
        if (info.CoordinateWidth <= 0 || info.CoordinateHeight <= 0)
        {
            return; // A source that does not know its size yet; nothing to check against.
        }

        for (var i = 0; i < camera.Zones.Count; i++)
        {
            var zone = camera.Zones[i];
            var points = zone?.Points ?? [];
            for (var p = 0; p < points.Length; p++)
            {
                if (points[p] is not [var x, var y])
                {
                    continue; // The options validator reports malformed points.
                }

                if (!LineFrameCheck.Inside(x, y, info))
                {
                    throw new CameraConfigurationException($"{cameraKey}:Zones:{i}:Points", string.Create(CultureInfo.InvariantCulture,
                        $"zone '{zone!.Name}' corner {p} [{x}, {y}] lies outside the {info.CoordinateWidth}x{info.CoordinateHeight} picture; points must be within [0, {info.CoordinateWidth}] x [0, {info.CoordinateHeight}] pixels."));
                }
            }
        }
    }
}
