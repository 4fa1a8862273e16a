namespace HgCounter.Health;

/// <summary>Per-camera health details. All text is redacted.</summary>
/// <param name="Name">Camera name.</param>
/// <param name="Health">Current state.</param>
/// <param name="ConsecutiveFailures">Failures since the last good frame.</param>
/// <param name="LastFrameAt">When the last frame arrived, if ever.</param>
/// <param name="LastError">The last failure, redacted, or <c>null</c>.</param>
/// <param name="ReconnectAttempts">Reconnect attempts since the camera was last healthy.</param>
/// <param name="NextAttemptAt">When the next reconnect is due, if scheduled.</param>
/// <param name="Source">The URL in use, redacted.</param>
/// <param name="LastFailure">Why the camera last failed (the class of <paramref name="LastError"/>), or <c>null</c>.</param>
public sealed record CameraHealthInfo(
    string Name,
    CameraHealth Health,
    int ConsecutiveFailures,
    DateTimeOffset? LastFrameAt,
    string? LastError,
    int ReconnectAttempts,
    DateTimeOffset? NextAttemptAt,
    string? Source,
    CameraFailureReason? LastFailure = null);
