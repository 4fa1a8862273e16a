namespace HgCounter.Runtime.Events;

/// <summary>
/// The outbox refused an event because the disk holding it is (nearly) full. The event was not stored; the caller
/// must log and count it. This is the only way an event can fail to enter the outbox, and it is never silent.
/// </summary>
public sealed class OutboxFullException : OutboxException
{
    /// <summary>Creates the exception for the outbox at <paramref name="path"/>.</summary>
    public OutboxFullException(string message, string path, Exception? innerException = null)
        : base(message, path, innerException) { }

    /// <summary>Creates the exception.</summary>
    public OutboxFullException() : this("The event outbox disk is full.", string.Empty) { }

    /// <summary>Creates the exception.</summary>
    public OutboxFullException(string message) : this(message, string.Empty) { }

    /// <summary>Creates the exception.</summary>
    public OutboxFullException(string message, Exception innerException) : this(message, string.Empty, innerException) { }
}
