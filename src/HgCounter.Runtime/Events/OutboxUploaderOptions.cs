using System.ComponentModel.DataAnnotations;

namespace HgCounter.Runtime.Events;

/// <summary>Retry and wake-up timing of <see cref="OutboxUploader"/>. The defaults suit a backend that may be down for hours.</summary>
public sealed class OutboxUploaderOptions
{
    /// <summary>First retry delay after a failed delivery; doubles per attempt, with jitter.</summary>
    [Range(typeof(TimeSpan), "00:00:00.010", "00:10:00")]
    public TimeSpan RetryBaseDelay { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Longest delay between two attempts while a sink is down.</summary>
    [Range(typeof(TimeSpan), "00:00:00.010", "01:00:00")]
    public TimeSpan RetryMaxDelay { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>How often an idle sink looks for events it was not woken for (a safety net; new events wake it at once).</summary>
    [Range(typeof(TimeSpan), "00:00:00.010", "01:00:00")]
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(5);
}
