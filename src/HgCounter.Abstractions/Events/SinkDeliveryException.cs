namespace HgCounter.Events;

/// <summary>A failed delivery. <see cref="IsPermanent"/> marks a batch the backend rejected (poison) rather than a transient outage.</summary>
public sealed class SinkDeliveryException : Exception
{
    /// <summary>Creates the exception; the message must not contain secrets.</summary>
    public SinkDeliveryException(string message, bool isPermanent, Exception? innerException = null)
        : base(message, innerException) => IsPermanent = isPermanent;

    /// <summary>Creates a transient failure.</summary>
    public SinkDeliveryException() : this("Delivery failed.", false) { }

    /// <summary>Creates a transient failure.</summary>
    public SinkDeliveryException(string message) : this(message, false) { }

    /// <summary>Creates a transient failure.</summary>
    public SinkDeliveryException(string message, Exception innerException) : this(message, false, innerException) { }

    /// <summary>True when retrying the same batch cannot succeed (e.g. HTTP 400).</summary>
    public bool IsPermanent { get; }
}
