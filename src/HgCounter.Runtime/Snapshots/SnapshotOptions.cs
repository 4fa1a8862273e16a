using System.ComponentModel.DataAnnotations;

namespace HgCounter.Snapshots;

/// <summary>What <see cref="Runtime.ICounterAgent.GetSnapshotAsync"/> returns: JPEG quality, size and whether the overlay is drawn.</summary>
public sealed class SnapshotOptions
{
    /// <summary>JPEG quality, 1 (smallest) to 100 (best).</summary>
    [Range(1, 100)]
    public int Quality { get; set; } = 80;

    /// <summary>Largest width in pixels (the height follows the aspect ratio); null keeps the camera's resolution. Never scales up.</summary>
    [Range(16, 16384)]
    public int? MaxWidth { get; set; }

    /// <summary>Draws the camera's lines, zones and confirmed tracks (true) or returns the picture as the camera sent it (false).</summary>
    public bool Overlay { get; set; } = true;

    /// <summary>How long to wait for the camera loop to hand over a frame; after it, the last frame taken (if any) is used.</summary>
    [Range(typeof(TimeSpan), "00:00:00.010", "00:05:00")]
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(3);

    /// <summary>Options with their defaults: quality 80, the camera's resolution, overlay on, 3 s.</summary>
    public static SnapshotOptions Default => new();

    /// <summary>Throws <see cref="ArgumentOutOfRangeException"/> naming the option when a value is out of its range.</summary>
    public void Validate()
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(Quality, 1, nameof(Quality));
        ArgumentOutOfRangeException.ThrowIfGreaterThan(Quality, 100, nameof(Quality));
        if (MaxWidth is { } width)
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(width, 16, nameof(MaxWidth));
            ArgumentOutOfRangeException.ThrowIfGreaterThan(width, 16384, nameof(MaxWidth));
        }

        ArgumentOutOfRangeException.ThrowIfLessThan(Timeout, TimeSpan.FromMilliseconds(10), nameof(Timeout));
        ArgumentOutOfRangeException.ThrowIfGreaterThan(Timeout, TimeSpan.FromMinutes(5), nameof(Timeout));
    }
}
