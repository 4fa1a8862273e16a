using System.ComponentModel.DataAnnotations;

namespace HgCounter.Configuration;

/// <summary>Camera watchdog: failure thresholds, stall detection and reconnect backoff.</summary>
public sealed class WatchdogOptions
{
    /// <summary>First reconnect delay; doubles per attempt.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "01:00:00")]
    public TimeSpan InitialBackoff { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Cap of the reconnect delay.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "1.00:00:00")]
    public TimeSpan MaxBackoff { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>Give up after this many attempts; <c>null</c> (default) retries forever. A camera that gave up is revived by a manual reconnect.</summary>
    [Range(1, int.MaxValue)]
    public int? MaxRetries { get; set; }

    /// <summary>No frame for this long marks the camera Offline even if the connection is open.</summary>
    [Range(typeof(TimeSpan), "00:00:00.100", "01:00:00")]
    public TimeSpan StallTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>The same frame content for this long marks the camera Offline (a frozen encoder).</summary>
    [Range(typeof(TimeSpan), "00:00:01", "1.00:00:00")]
    public TimeSpan FrozenTimeout { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>Consecutive failures that turn Degraded into Offline.</summary>
    [Range(1, 1000)]
    public int OfflineAfterFailures { get; set; } = 3;

    /// <summary>Randomise reconnect delays (±25 %) so cameras do not reconnect in lock-step.</summary>
    public bool UseJitter { get; set; } = true;
}
