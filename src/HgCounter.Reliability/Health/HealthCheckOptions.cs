using System.ComponentModel.DataAnnotations;

namespace HgCounter.Configuration;

/// <summary>Health checker thresholds and schedule.</summary>
public sealed class HealthCheckOptions
{
    /// <summary>How often all checks run.</summary>
    [Range(typeof(TimeSpan), "00:00:00.100", "01:00:00")]
    public TimeSpan Interval { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Results kept in history.</summary>
    [Range(1, 100_000)]
    public int HistorySize { get; set; } = 1000;

    /// <summary>Disk use (percent) of the data directory's file system that warns.</summary>
    [Range(0.0, 100.0)]
    public double DiskWarningPercent { get; set; } = 85;

    /// <summary>Disk use (percent) that is an error.</summary>
    [Range(0.0, 100.0)]
    public double DiskErrorPercent { get; set; } = 95;

    /// <summary>Memory use (percent) that warns.</summary>
    [Range(0.0, 100.0)]
    public double MemoryWarningPercent { get; set; } = 80;

    /// <summary>Memory use (percent) that is an error.</summary>
    [Range(0.0, 100.0)]
    public double MemoryErrorPercent { get; set; } = 90;

    /// <summary>CPU use (percent) that warns.</summary>
    [Range(0.0, 100.0)]
    public double CpuWarningPercent { get; set; } = 90;

    /// <summary>Host name resolved by the network check; empty disables the DNS part.</summary>
    public string? DnsHost { get; set; } = "localhost";

    /// <summary>Timeout of each network probe.</summary>
    [Range(typeof(TimeSpan), "00:00:00.050", "00:01:00")]
    public TimeSpan NetworkTimeout { get; set; } = TimeSpan.FromSeconds(3);
}
