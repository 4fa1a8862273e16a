namespace HgCounter.Runtime.Agent;

/// <summary>
/// A camera's configuration does not fit what its stream turned out to be (a line outside the picture): that camera
/// fails with this reason in its health, naming the key, while the other cameras keep counting.
/// </summary>
internal sealed class CameraConfigurationException : Exception
{
    public CameraConfigurationException(string key, string reason)
        : base($"{key}: {reason}") => Key = key;

    /// <summary>The configuration key at fault, e.g. <c>HgCounter:Cameras:0:Lines:1</c>.</summary>
    public string Key { get; }
}
