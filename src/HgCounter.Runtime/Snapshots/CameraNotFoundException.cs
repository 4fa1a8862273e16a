namespace HgCounter.Snapshots;

/// <summary>No camera of that name is configured.</summary>
public sealed class CameraNotFoundException : KeyNotFoundException
{
    /// <summary>Creates the exception for <paramref name="camera"/>.</summary>
    public CameraNotFoundException(string camera)
        : base($"No camera named '{camera}' is configured (HgCounter:Cameras).") => Camera = camera;

    /// <summary>Creates an exception without a camera (for serializers and analyzers).</summary>
    public CameraNotFoundException()
        : this(string.Empty)
    {
    }

    /// <summary>Creates an exception without a camera (for serializers and analyzers).</summary>
    public CameraNotFoundException(string message, Exception innerException)
        : base(message, innerException) => Camera = string.Empty;

    /// <summary>The name asked for.</summary>
    public string Camera { get; }
}
