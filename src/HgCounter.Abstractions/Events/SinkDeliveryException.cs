namespace HgCounter.Events;

/// <summary>A failed delivery; <see cref="Kind"/> tells the outbox whether to wait, alert or look for a bad event.</summary>
public sealed class SinkDeliveryException : Exception
{
    /// <summary>Creates the exception; the message must not contain secrets.</summary>
    public SinkDeliveryException(string message, SinkFailureKind kind, Exception? innerException = null)
        : base(message, innerException) => Kind = kind;

    /// <summary>Creates a transient failure.</summary>
    public SinkDeliveryException() : this("Delivery failed.", SinkFailureKind.Transient) { }

    /// <summary>Creates a transient failure.</summary>
    public SinkDeliveryException(string message) : this(message, SinkFailureKind.Transient) { }

    /// <summary>Creates a transient failure.</summary>
    public SinkDeliveryException(string message, Exception innerException) : this(message, SinkFailureKind.Transient, innerException) { }

    /// <summary>What kind of failure this is.</summary>
    public SinkFailureKind Kind { get; }

    /// <summary>How long the backend asked to be left alone (HTTP <c>Retry-After</c>); null when it did not say.</summary>
    public TimeSpan? RetryAfter { get; init; }
}
