namespace HgCounter.Reliability.Resources;

/// <summary>One measurement of CPU and memory.</summary>
/// <param name="Timestamp">When measured.</param>
/// <param name="CpuPercent">CPU use of the container (cgroup) or machine since the previous reading, 0–100 of the available cores.</param>
/// <param name="MemoryPercent">Memory in use as a percentage of <paramref name="MemoryLimitBytes"/>.</param>
/// <param name="MemoryUsedBytes">Memory in use by the container (without reclaimable page cache) or machine.</param>
/// <param name="MemoryLimitBytes">The container's memory limit, else physical memory.</param>
/// <param name="ProcessCpuPercent">CPU use of this process since the previous reading, 0–100 of the available cores.</param>
/// <param name="ProcessMemoryBytes">Resident memory of this process.</param>
/// <param name="Source"><c>cgroup v2</c> or <c>/proc</c>: where the numbers came from.</param>
public sealed record ResourceReading(
    DateTimeOffset Timestamp,
    double CpuPercent,
    double MemoryPercent,
    long MemoryUsedBytes,
    long MemoryLimitBytes,
    double ProcessCpuPercent,
    long ProcessMemoryBytes,
    string Source)
{
    /// <summary>Memory in use, MiB.</summary>
    public double MemoryUsedMegabytes => MemoryUsedBytes / (1024.0 * 1024.0);
}
