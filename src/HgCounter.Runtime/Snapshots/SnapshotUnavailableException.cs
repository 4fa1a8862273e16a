namespace HgCounter.Snapshots;

/// <summary>
/// The camera exists but has not processed a frame yet (starting, connecting, offline since start): there is nothing to
/// show. Ask again later; hosts answer it with 503 and Retry-After.
/// </summary>
public sealed class SnapshotUnavailableException : Exception
{
    /// <summary>Creates the exception for <paramref name="camera"/> with the reason shown to the user.</summary>
    public SnapshotUnavailableException(string camera, string reason)
        : base($"Camera '{camera}' has no frame to show yet: {reason}") => Camera = camera;

    /// <summary>Creates an exception without a camera (for serializers and analyzers).</summary>
    public SnapshotUnavailableException()
        : base("The camera has no frame to show yet.") => Camera = string.Empty;

    /// <summary>Creates an exception without a camera (for serializers and analyzers).</summary>
    public SnapshotUnavailableException(string message)
        : base(message) => Camera = string.Empty;

    /// <summary>Creates an exception without a camera (for serializers and analyzers).</summary>
    public SnapshotUnavailableException(string message, Exception innerException)
        : base(message, innerException) => Camera = string.Empty;

    /// <summary>The camera asked for.</summary>
    public string Camera { get; }
}
