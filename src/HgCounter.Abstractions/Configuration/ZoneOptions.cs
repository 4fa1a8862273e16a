using System.ComponentModel.DataAnnotations;
using HgCounter.Detection;

namespace HgCounter.Configuration;

/// <summary>
/// A polygon zone in configuration:
/// <c>{ "Name": "queue", "Points": [[100,200],[400,200],[400,460],[100,460]], "Classes": ["person"], "MinFrames": 3, "LoiterAfter": "00:01:00" }</c>.
/// Objects inside it are counted as occupancy; entering, leaving and staying too long are events.
/// </summary>
public sealed class ZoneOptions
{
    /// <summary>Zone name, unique per camera (and distinct from the camera's line names: both are count targets).</summary>
    [Required]
    public string Name { get; set; } = string.Empty;

    /// <summary>Corners <c>[x, y]</c> in source pixels, in order; at least 3, and the edges must not cross each other.</summary>
#pragma warning disable CA1819 // Arrays are the natural JSON shape of a polygon: [[x, y], …].
    public float[][] Points { get; set; } = [];
#pragma warning restore CA1819

    /// <summary>Classes the zone watches, by label (e.g. <c>person</c>); empty watches every class the detector reports.</summary>
    public IList<string> Classes { get; } = [];

    /// <summary>Which point of a box must be inside.</summary>
    public TrackAnchor Anchor { get; set; } = TrackAnchor.BottomCenter;

    /// <summary>Inertia: consecutive frames an object must be inside before it has entered, and outside before it has left, so one bad box neither enters nor leaves.</summary>
    [Range(1, 1000)]
    public int MinFrames { get; set; } = 3;

    /// <summary>Dwell after which a visit is reported once as loitering; null (the default) reports no loitering.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "7.00:00:00")]
    public TimeSpan? LoiterAfter { get; set; }
}
