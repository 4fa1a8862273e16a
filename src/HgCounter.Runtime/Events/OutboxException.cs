namespace HgCounter.Runtime.Events;

/// <summary>The outbox file could not be opened or written. The message names the file; it never holds secrets.</summary>
public class OutboxException : Exception
{
    /// <summary>Creates the exception for the outbox at <paramref name="path"/>.</summary>
    public OutboxException(string message, string path, Exception? innerException = null)
        : base(message, innerException) => Path = path;

    /// <summary>Creates the exception.</summary>
    public OutboxException() : this("The event outbox failed.", string.Empty) { }

    /// <summary>Creates the exception.</summary>
    public OutboxException(string message) : this(message, string.Empty) { }

    /// <summary>Creates the exception.</summary>
    public OutboxException(string message, Exception innerException) : this(message, string.Empty, innerException) { }

    /// <summary>Full path of the outbox file.</summary>
    public string Path { get; }
}
