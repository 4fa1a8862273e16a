using System.ComponentModel.DataAnnotations;

namespace HgCounter.Configuration;

/// <summary>
/// How long events are kept in the outbox when <b>no sink is configured</b> (counted, not delivered). Oldest events go
/// first once either bound is passed. Never applied while a sink is configured: then an undelivered event is never
/// dropped, however long the backend is down.
/// </summary>
public sealed class UndeliveredRetentionOptions
{
    /// <summary>Events older than this are removed.</summary>
    [Range(typeof(TimeSpan), "01:00:00", "3650.00:00:00")]
    public TimeSpan MaxAge { get; set; } = TimeSpan.FromDays(30);

    /// <summary>
    /// Space the outbox file may take before the oldest kept events go, in MB (an event takes about 370 bytes). The count
    /// history lives in the same file and counts too: a few MB per camera and year of hourly buckets.
    /// </summary>
    [Range(1, 1_000_000)]
    public int MaxMegabytes { get; set; } = 1024;
}
