namespace HgCounter.Frames;

/// <summary>A typed, redacted failure of a frame source. The message never contains credentials.</summary>
public sealed class FrameSourceException : Exception
{
    /// <summary>Creates the exception.</summary>
    public FrameSourceException(FrameSourceErrorKind kind, string source, string message, Exception? innerException = null)
        : base($"{source}: {message}", innerException)
    {
        Kind = kind;
        DisplayName = source;
    }

    /// <summary>Creates an unclassified exception (for serializers and analyzers).</summary>
    public FrameSourceException() : this(FrameSourceErrorKind.Unknown, string.Empty, string.Empty) { }

    /// <summary>Creates an unclassified exception (for serializers and analyzers).</summary>
    public FrameSourceException(string message) : this(FrameSourceErrorKind.Unknown, string.Empty, message) { }

    /// <summary>Creates an unclassified exception (for serializers and analyzers).</summary>
    public FrameSourceException(string message, Exception innerException) : this(FrameSourceErrorKind.Unknown, string.Empty, message, innerException) { }

    /// <summary>The failure class.</summary>
    public FrameSourceErrorKind Kind { get; }

    /// <summary>The redacted source location.</summary>
    public string DisplayName { get; }
}
