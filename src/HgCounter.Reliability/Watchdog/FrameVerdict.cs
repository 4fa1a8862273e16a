namespace HgCounter.Reliability.Watchdog;

/// <summary>What the watchdog made of a frame reported with <see cref="RtspWatchdog.MarkFrameReceived"/>.</summary>
public enum FrameVerdict
{
    /// <summary>The frame counts: the camera is (or stays) Healthy.</summary>
    Live,
    /// <summary>The picture has not changed for <c>FrozenTimeout</c>: the camera is Offline and should be reconnected.</summary>
    Frozen,
    /// <summary>The camera is not registered or has finished; the frame was ignored.</summary>
    NotWatched,
}
