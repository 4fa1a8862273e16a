using System.ComponentModel.DataAnnotations;

namespace HgCounter.Configuration;

/// <summary>Resource limits and the monitoring interval.</summary>
public sealed class ResourceGuardOptions
{
    /// <summary>Maximum processed frames per second per camera.</summary>
    [Range(0.1, 240)]
    public double MaxFps { get; set; } = 30;

    /// <summary>Memory use (percent of the limit) above which processing is throttled.</summary>
    [Range(1.0, 100.0)]
    public double MaxMemoryPercent { get; set; } = 80;

    /// <summary>CPU use (percent) above which the guard lowers each camera's rate step by step (adaptive fps).</summary>
    [Range(1.0, 100.0)]
    public double MaxCpuPercent { get; set; } = 90;

    /// <summary>Queue length above which processing is throttled.</summary>
    [Range(1, int.MaxValue)]
    public int MaxQueueSize { get; set; } = 1000;

    /// <summary>Interval of the background monitor.</summary>
    [Range(typeof(TimeSpan), "00:00:00.100", "01:00:00")]
    public TimeSpan CheckInterval { get; set; } = TimeSpan.FromSeconds(5);
}
