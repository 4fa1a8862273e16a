using System.ComponentModel.DataAnnotations;

namespace HgCounter.Configuration;

/// <summary>How long count history buckets are kept (<c>HgCounter:History</c>). Older buckets are removed by the outbox's maintenance, once a minute.</summary>
public sealed class CountHistoryOptions
{
    /// <summary>15-minute buckets older than this are removed.</summary>
    [Range(typeof(TimeSpan), "1.00:00:00", "36500.00:00:00")]
    public TimeSpan RetainQuarterHours { get; set; } = TimeSpan.FromDays(35);

    /// <summary>Hourly buckets older than this are removed.</summary>
    [Range(typeof(TimeSpan), "1.00:00:00", "36500.00:00:00")]
    public TimeSpan RetainHours { get; set; } = TimeSpan.FromDays(400);

    /// <summary>Daily buckets older than this are removed; null (the default) keeps them for ever.</summary>
    [Range(typeof(TimeSpan), "1.00:00:00", "36500.00:00:00")]
    public TimeSpan? RetainDays { get; set; }
}
