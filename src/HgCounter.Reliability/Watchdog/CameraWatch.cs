using HgCounter.Health;

namespace HgCounter.Reliability.Watchdog;

/// <summary>Mutable per-camera state of the watchdog; guarded by the watchdog's lock.</summary>
internal sealed class CameraWatch(string name, string? source, DateTimeOffset now)
{
    public string Name { get; } = name;

    public string? Source { get; } = source;

    public CameraHealth Health { get; set; } = CameraHealth.Starting;

    public int ConsecutiveFailures { get; set; }

    public DateTimeOffset? LastFrameAt { get; set; }

    public string? LastError { get; set; }

    public int ReconnectAttempts { get; set; }

    public DateTimeOffset? NextAttemptAt { get; set; }

    /// <summary>Since when a frame is expected: registration, a successful reconnect, or the last frame.</summary>
    public DateTimeOffset ExpectingFrameSince { get; set; } = now;

    /// <summary>Hash of the last frame with a known hash, or <c>null</c>.</summary>
    public ulong? LastHash { get; set; }

    /// <summary>When the frame content last changed.</summary>
    public DateTimeOffset LastContentChangeAt { get; set; } = now;

    /// <summary>True when MaxRetries was reached: no automatic reconnect until <see cref="RtspWatchdog.RequestReconnect"/>.</summary>
    public bool GaveUp { get; set; }

    /// <summary>True after a manual reconnect request, until the reconnect begins.</summary>
    public bool ReconnectRequested { get; set; }

    /// <summary>True once CameraOffline was raised for the current outage; cleared when frames arrive again.</summary>
    public bool ReportedOffline { get; set; }

    public CameraHealthInfo ToInfo() =>
        new(Name, Health, ConsecutiveFailures, LastFrameAt, LastError, ReconnectAttempts, NextAttemptAt, Source);
}
