namespace HgCounter.Health;

/// <summary>Health of one camera as the watchdog sees it.</summary>
public enum CameraHealth
{
    /// <summary>Registered, no frame yet.</summary>
    Starting = 0,
    /// <summary>Frames arrive.</summary>
    Healthy,
    /// <summary>Recent failures, still under the offline threshold.</summary>
    Degraded,
    /// <summary>Too many consecutive failures, or no (new) frame within the stall/frozen timeout.</summary>
    Offline,
    /// <summary>A reconnect attempt is in progress or scheduled.</summary>
    Reconnecting,
    /// <summary>A finite source (a file) reached its end; no reconnect.</summary>
    Finished,
}
