using System.ComponentModel.DataAnnotations;
using HgCounter.Detection;

namespace HgCounter.Configuration;

/// <summary>A counting line in configuration: <c>{ "Name": "door", "Start": [320, 0], "End": [320, 360] }</c>.</summary>
public sealed class LineOptions
{
    /// <summary>Line name, unique per camera.</summary>
    [Required]
    public string Name { get; set; } = string.Empty;

    /// <summary>Start point <c>[x, y]</c> in source pixels.</summary>
#pragma warning disable CA1819 // Arrays are the natural JSON shape of a point: [x, y].
    public float[] Start { get; set; } = [];

    /// <summary>End point <c>[x, y]</c> in source pixels.</summary>
    public float[] End { get; set; } = [];
#pragma warning restore CA1819

    /// <summary>Which point of a box must cross.</summary>
    public TrackAnchor Anchor { get; set; } = TrackAnchor.BottomCenter;

    /// <summary>Hysteresis: how far (pixels) past the line the anchor must get on the new side before a crossing counts.</summary>
    [Range(0, 10000)]
    public float MinCrossingDistance { get; set; } = 8;

    /// <summary>Classes this line counts, by label (e.g. <c>person</c>); empty counts every class the camera keeps.</summary>
    public IList<string> Classes { get; } = [];
}
