using HgCounter.Health;

namespace HgCounter.Reliability.Watchdog;

/// <summary>One state change of a camera, taken under the watchdog's lock and published after it is let go.</summary>
/// <param name="Camera">The camera's details after the change.</param>
/// <param name="Previous">The state before.</param>
/// <param name="Reason">Why, in words (redacted).</param>
/// <param name="Cause">The classified failure when the camera failed, else <c>null</c>.</param>
/// <param name="AnnounceOffline">True for the first Offline of an outage: raises CameraOffline.</param>
internal readonly record struct CameraTransition(CameraHealthInfo Camera, CameraHealth Previous, string Reason, CameraFailureReason? Cause = null, bool AnnounceOffline = false);
