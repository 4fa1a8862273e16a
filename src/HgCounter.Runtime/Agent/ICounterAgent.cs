using HgCounter.Events;
using HgCounter.Rtsp.Connection;
using HgCounter.Snapshots;
using HgCounter.Status;

namespace HgCounter.Runtime;

/// <summary>What hosts see of the running counter: status, live updates and operator actions.</summary>
public interface ICounterAgent
{
    /// <summary>The latest status snapshot.</summary>
    StatusSnapshot CurrentStatus { get; }

    /// <summary>Completes when every camera has finished (only finite sources, such as files, ever finish).</summary>
    Task Completion { get; }

    /// <summary>Yields the current snapshot, then a new one on every change and at least every <c>StatusInterval</c>; slow readers get the latest.</summary>
    IAsyncEnumerable<StatusSnapshot> WatchAsync(CancellationToken cancellationToken);

    /// <summary>
    /// Tests the named camera's connection (the original's test_connection) within its open timeout: resolution and codec,
    /// or a typed, redacted reason. <c>null</c> when no such camera.
    /// </summary>
    Task<ConnectionTestResult?> TestCameraAsync(string cameraName, CancellationToken cancellationToken);

    /// <summary>
    /// Waits until every counted event has been confirmed by the configured sinks (true), or until
    /// <paramref name="timeout"/> passes (false; the rest stays in the outbox for the next run). True at once without sinks.
    /// </summary>
    Task<bool> WaitForDeliveryAsync(TimeSpan timeout, CancellationToken cancellationToken);

    /// <summary>
    /// Moves events a sink set aside as poison back to pending (for <paramref name="sinkName"/> only, or every sink when
    /// null), e.g. after the backend was fixed; the uploader delivers them at once. Returns how many were moved.
    /// </summary>
    Task<int> RedrivePoisonedAsync(string? sinkName, CancellationToken cancellationToken);

    /// <summary>
    /// The named camera's latest processed frame as JPEG, with its lines, zones and confirmed tracks drawn when
    /// <see cref="SnapshotOptions.Overlay"/> is set. Costs the camera loop one frame copy, and only when asked (requests
    /// within 250 ms share one copy). Waits at most <see cref="SnapshotOptions.Timeout"/> for a frame; when none comes,
    /// the last frame taken is returned (see <see cref="CameraSnapshot.CapturedAt"/>).
    /// </summary>
    /// <exception cref="CameraNotFoundException">No camera of that name.</exception>
    /// <exception cref="SnapshotUnavailableException">The camera has processed no frame yet (starting, connecting, offline); ask again later.</exception>
    /// <exception cref="ArgumentOutOfRangeException">An option is out of its range.</exception>
    Task<CameraSnapshot> GetSnapshotAsync(string camera, SnapshotOptions options, CancellationToken cancellationToken);

    /// <summary>
    /// The latest events (crossings and zone events) this agent wrote to its outbox since it started, newest first, as
    /// the sinks receive them; of one camera, or of all when <paramref name="camera"/> is null. Kept in memory (the last
    /// 500 events of all cameras) and lost on restart: the persistent record is the outbox with its sinks and the count history.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="limit"/> is not 1 to 500.</exception>
    IReadOnlyList<CountEvent> GetRecentEvents(string? camera, int limit);

    /// <summary>Reconnects the named camera now, also when it gave up after MaxRetries. False when no such camera.</summary>
    bool RequestReconnect(string cameraName);
}
