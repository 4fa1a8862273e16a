using System.ComponentModel.DataAnnotations;
using HgCounter.Inference.Tracking;
using Microsoft.Extensions.Options;

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
    [ValidateEnumeratedItems]
#pragma warning disable SYSLIB1213 // CameraOptions.Lines cannot carry the attribute (Abstractions has no options package); LineRules validates each line.
    public IList<CameraOptions> Cameras { get; } = [];
#pragma warning restore SYSLIB1213

    /// <summary>Detector settings shared by cameras.</summary>
    [ValidateObjectMembers]
    public DetectorsOptions Detectors { get; set; } = new();

    /// <summary>Camera watchdog settings.</summary>
    [ValidateObjectMembers]
    public WatchdogOptions Watchdog { get; set; } = new();

    /// <summary>Resource limits.</summary>
    [ValidateObjectMembers]
    public ResourceGuardOptions ResourceGuard { get; set; } = new();

    /// <summary>Health check settings.</summary>
    [ValidateObjectMembers]
    public HealthCheckOptions HealthChecks { get; set; } = new();

    /// <summary>Tracker settings shared by cameras (<c>HgCounter:Tracker</c>).</summary>
    [ValidateObjectMembers]
    public TrackerOptions Tracker { get; set; } = new();

    /// <summary>Event delivery settings.</summary>
    [ValidateObjectMembers]
    public EventOptions Events { get; set; } = new();

    /// <summary>
    /// IANA time zone id (e.g. <c>Europe/Berlin</c>) the count history's buckets are cut in; null or empty: the machine's
    /// (the host's <see cref="TimeProvider.LocalTimeZone"/>).
    /// </summary>
    public string? TimeZone { get; set; }

    /// <summary>Retention of the count history (<c>HgCounter:History</c>).</summary>
    [ValidateObjectMembers]
    public CountHistoryOptions History { get; set; } = new();

    /// <summary>How often a status snapshot is published even when nothing changed.</summary>
    [Range(typeof(TimeSpan), "00:00:00.100", "01:00:00")]
    public TimeSpan StatusInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Upper bound for a graceful stop (loops, flush, child processes, final report).</summary>
    [Range(typeof(TimeSpan), "00:00:01", "00:10:00")]
    public TimeSpan ShutdownTimeout { get; set; } = TimeSpan.FromSeconds(15);
}
