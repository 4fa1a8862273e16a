using HgCounter.Health;

namespace HgCounter.Status;

/// <summary>The whole agent's state at one moment; what dashboards render and status endpoints return.</summary>
/// <param name="Timestamp">When taken.</param>
/// <param name="WorkerId">Identity of this worker.</param>
/// <param name="Cameras">Per-camera status.</param>
/// <param name="Resources">Resource metrics.</param>
/// <param name="Health">Latest health check run, or <c>null</c> before the first.</param>
/// <param name="PendingEvents">Events in the outbox not yet confirmed by every sink.</param>
public sealed record StatusSnapshot(
    DateTimeOffset Timestamp,
    string WorkerId,
    IReadOnlyList<CameraStatus> Cameras,
    ResourceSnapshot? Resources,
    HealthSnapshot? Health,
    long PendingEvents)
{
    /// <summary>Detection models in use, with their measured cost and the cameras' demand; empty until a model has loaded.</summary>
    public IReadOnlyList<ModelStatus> Models { get; init; } = [];
}
