using System.ComponentModel.DataAnnotations;

namespace HgCounter.Configuration;

/// <summary>The <c>HgCounter</c> configuration section. Defaults live here and only here.</summary>
public sealed class HgCounterOptions
{
    /// <summary>The configuration section name.</summary>
    public const string SectionName = "HgCounter";

    /// <summary>Identity of this worker, written into every event and status snapshot. Defaults to the machine name.</summary>
    public string? WorkerId { get; set; }

    /// <summary>Directory for the outbox, the final health report and other state. Relative paths are taken from the working directory.</summary>
    [Required]
    public string DataDirectory { get; set; } = "data";

    /// <summary>Cameras to count. At least one.</summary>
    public IList<CameraOptions> Cameras { get; } = [];

    /// <summary>Detector settings shared by cameras.</summary>
    public DetectorsOptions Detectors { get; set; } = new();

    /// <summary>Camera watchdog settings.</summary>
    public WatchdogOptions Watchdog { get; set; } = new();

    /// <summary>Resource limits.</summary>
    public ResourceGuardOptions ResourceGuard { get; set; } = new();

    /// <summary>Health check settings.</summary>
    public HealthCheckOptions HealthChecks { get; set; } = new();

    /// <summary>Event delivery settings.</summary>
    public EventOptions Events { get; set; } = new();

    /// <summary>How often a status snapshot is published even when nothing changed.</summary>
    [Range(typeof(TimeSpan), "00:00:00.100", "01:00:00")]
    public TimeSpan StatusInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Upper bound for a graceful stop (loops, flush, child processes, final report).</summary>
    [Range(typeof(TimeSpan), "00:00:01", "00:10:00")]
    public TimeSpan ShutdownTimeout { get; set; } = TimeSpan.FromSeconds(15);
}
