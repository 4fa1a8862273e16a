using System.ComponentModel.DataAnnotations;

namespace HgCounter.Runtime.Events;

/// <summary>
/// Retry and wake-up timing of <see cref="OutboxUploader"/>, bound from <c>HgCounter:Events:Delivery</c> (or set with
/// <c>services.Configure&lt;OutboxUploaderOptions&gt;(...)</c>). The defaults suit a backend that may be down for hours.
/// </summary>
public sealed class OutboxUploaderOptions : IValidatableObject
{
    /// <summary>Configuration section under <c>HgCounter</c>: <c>Events:Delivery</c>.</summary>
    public const string SectionName = "Events:Delivery";

    /// <summary>First retry delay after a failed delivery; doubles per attempt, with jitter.</summary>
    [Range(typeof(TimeSpan), "00:00:00.010", "00:10:00")]
    public TimeSpan RetryBaseDelay { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Longest delay between two attempts while a sink is down.</summary>
    [Range(typeof(TimeSpan), "00:00:00.010", "01:00:00")]
    public TimeSpan RetryMaxDelay { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>How often an idle sink looks for events it was not woken for (a safety net; new events wake it at once).</summary>
    [Range(typeof(TimeSpan), "00:00:00.010", "01:00:00")]
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// Times a sink must refuse one event on its own, while accepting others, before that event is set aside as poison.
    /// An event is never poisoned while the sink accepts nothing at all (that is the backend's state, not the event's fault).
    /// </summary>
    [Range(1, 1000)]
    public int MaxAttemptsPerEvent { get; set; } = 5;

    /// <summary>Longest wait a backend's <c>Retry-After</c> (HTTP 429/503) can impose before the next attempt.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "01:00:00")]
    public TimeSpan RetryAfterMax { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>While a sink keeps failing the same way, how often that is logged again (a change of reason is logged at once).</summary>
    [Range(typeof(TimeSpan), "00:00:00.010", "01:00:00")]
    public TimeSpan FailureLogInterval { get; set; } = TimeSpan.FromMinutes(10);

    /// <inheritdoc />
    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (RetryMaxDelay < RetryBaseDelay)
        {
            yield return new ValidationResult($"{RetryMaxDelay} is less than RetryBaseDelay {RetryBaseDelay}.", [nameof(RetryMaxDelay)]);
        }
    }
}
