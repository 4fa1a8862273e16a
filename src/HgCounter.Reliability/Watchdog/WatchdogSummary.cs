using HgCounter.Health;

namespace HgCounter.Reliability.Watchdog;

/// <summary>Totals and per-camera details of the watchdog at one moment.</summary>
/// <param name="Timestamp">When taken.</param>
/// <param name="Total">Registered cameras.</param>
/// <param name="Healthy">Cameras delivering frames.</param>
/// <param name="Degraded">Cameras with recent failures, still under the offline threshold.</param>
/// <param name="Offline">Cameras Offline or Reconnecting.</param>
/// <param name="Cameras">Per-camera details, ordered by name.</param>
public sealed record WatchdogSummary(
    DateTimeOffset Timestamp,
    int Total,
    int Healthy,
    int Degraded,
    int Offline,
    IReadOnlyList<CameraHealthInfo> Cameras);
