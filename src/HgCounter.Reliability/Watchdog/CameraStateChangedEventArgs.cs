using HgCounter.Health;

namespace HgCounter.Reliability.Watchdog;

/// <summary>A camera moved from one health state to another.</summary>
public sealed class CameraStateChangedEventArgs : EventArgs
{
    /// <summary>Creates the event data.</summary>
    public CameraStateChangedEventArgs(CameraHealthInfo camera, CameraHealth previous, string reason)
    {
        Camera = camera;
        Previous = previous;
        Reason = reason;
    }

    /// <summary>The camera's details after the change (redacted).</summary>
    public CameraHealthInfo Camera { get; }

    /// <summary>The state before the change.</summary>
    public CameraHealth Previous { get; }

    /// <summary>Why the state changed, e.g. "3 consecutive failures" or "no frame for 10 s" (redacted).</summary>
    public string Reason { get; }

    /// <summary>The classified failure when the camera failed or went Offline, else <c>null</c>.</summary>
    public CameraFailureReason? Cause { get; init; }
}
