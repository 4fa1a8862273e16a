namespace HgCounter.Events;

/// <summary>Why a delivery failed, which decides what the outbox does with the batch.</summary>
public enum SinkFailureKind
{
    /// <summary>The backend is down, slow or busy (network error, timeout, HTTP 429/5xx): retried with backoff.</summary>
    Transient,

    /// <summary>
    /// The backend or its configuration is wrong (credentials, URL, method, redirect, missing table or column): no event
    /// is at fault, so the batch is retried with backoff, never poisoned, and the sink reports Unhealthy until fixed.
    /// </summary>
    Configuration,

    /// <summary>
    /// The backend refused the data (HTTP 400/413/422, PostgreSQL data or constraint errors): the batch is split to find
    /// the event at fault; only an event rejected alone, while others are accepted, is ever poisoned.
    /// </summary>
    Rejected,
}
