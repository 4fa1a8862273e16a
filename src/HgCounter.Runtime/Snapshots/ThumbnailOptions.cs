using System.ComponentModel.DataAnnotations;

namespace HgCounter.Configuration;

/// <summary>
/// Crossing thumbnails (<c>HgCounter:Events:Snapshots</c>): a small JPEG of the counted object, cut from the frame the
/// crossing was confirmed on and named after the event (<c>&lt;event_id&gt;.jpg</c>). Off by default.
/// </summary>
public sealed class ThumbnailOptions
{
    /// <summary>Writes a thumbnail for every count event and sets its <c>snapshot_id</c>.</summary>
    public bool Enabled { get; set; }

    /// <summary>Largest width of a thumbnail in pixels; the crop is scaled down to it, never up.</summary>
    [Range(16, 4096)]
    public int Width { get; set; } = 160;

    /// <summary>JPEG quality, 1 (smallest) to 100 (best).</summary>
    [Range(1, 100)]
    public int Quality { get; set; } = 75;

    /// <summary>Most thumbnails kept; the oldest go first.</summary>
    [Range(1, 10_000_000)]
    public int MaxFiles { get; set; } = 10_000;

    /// <summary>Thumbnails older than this are removed.</summary>
    [Range(typeof(TimeSpan), "00:01:00", "3650.00:00:00")]
    public TimeSpan MaxAge { get; set; } = TimeSpan.FromDays(7);

    /// <summary>Space the thumbnails may take, in MB; the oldest go first.</summary>
    [Range(1, 1_000_000)]
    public int MaxMegabytes { get; set; } = 200;

    /// <summary>Thumbnails waiting to be encoded; when the writer falls behind, further ones are dropped (and counted), never waited for.</summary>
    [Range(1, 10_000)]
    public int QueueCapacity { get; set; } = 64;

    /// <summary>Folder of the thumbnails; null: a <c>snapshots</c> folder beside the outbox file.</summary>
    public string? Directory { get; set; }

    /// <summary>The folder thumbnails go to: <see cref="Directory"/>, else <c>snapshots</c> beside <paramref name="outboxPath"/>.</summary>
    public string GetDirectory(string outboxPath) =>
        Path.GetFullPath(Directory ?? Path.Combine(Path.GetDirectoryName(Path.GetFullPath(outboxPath)) ?? ".", "snapshots"));
}
