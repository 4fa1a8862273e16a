using HgCounter.Configuration;

namespace HgCounter.Reliability.Health;

/// <summary>
/// What the health checks look at besides the machine itself: the data directory (whose file system the disk check
/// measures), the directories that must stay writable, and the cameras whose hosts must be reachable.
/// <c>AddHgCounter()</c> fills it from <c>HgCounterOptions</c>.
/// </summary>
public sealed class HealthCheckTargets
{
    /// <summary>The data directory: the disk check measures its file system, and it must be writable.</summary>
    public string DataDirectory { get; init; } = "data";

    /// <summary>Other directories that must be writable (the outbox's, when it is elsewhere).</summary>
    public IReadOnlyList<string> WritableDirectories { get; init; } = [];

    /// <summary>Cameras whose network hosts the network check probes.</summary>
    public IReadOnlyList<CameraOptions> Cameras { get; init; } = [];
}
