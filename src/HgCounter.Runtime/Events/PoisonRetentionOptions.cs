using System.ComponentModel.DataAnnotations;

namespace HgCounter.Configuration;

/// <summary>Bounds of the outbox's poison table (events a sink rejected): oldest rows go first once either is passed.</summary>
public sealed class PoisonRetentionOptions
{
    /// <summary>Rows older than this are removed.</summary>
    [Range(typeof(TimeSpan), "01:00:00", "3650.00:00:00")]
    public TimeSpan MaxAge { get; set; } = TimeSpan.FromDays(90);

    /// <summary>Most rows kept.</summary>
    [Range(1, 100_000_000)]
    public int MaxEvents { get; set; } = 100_000;
}
