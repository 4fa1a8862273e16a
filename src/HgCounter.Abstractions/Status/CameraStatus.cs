using HgCounter.Counting;
using HgCounter.Health;

namespace HgCounter.Status;

/// <summary>What a host shows for one camera.</summary>
/// <param name="Name">Camera name.</param>
/// <param name="Health">Watchdog details (redacted).</param>
/// <param name="Fps">Processed frames per second.</param>
/// <param name="FramesProcessed">Frames run through detection since start.</param>
/// <param name="FramesDropped">Frames skipped (latest-frame policy, fps cap, throttling) since start.</param>
/// <param name="Reconnects">Successful reconnects since start.</param>
/// <param name="Lines">Counts per line.</param>
public sealed record CameraStatus(
    string Name,
    CameraHealthInfo Health,
    double Fps,
    long FramesProcessed,
    long FramesDropped,
    long Reconnects,
    IReadOnlyList<LineCount> Lines)
{
    /// <summary>Occupancy per zone, in configuration order; empty when the camera has no zones.</summary>
    public IReadOnlyList<ZoneOccupancy> Zones { get; init; } = [];
}
