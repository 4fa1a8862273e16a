namespace HgCounter.Status;

/// <summary>Resource metrics at one moment.</summary>
/// <param name="Timestamp">When measured.</param>
/// <param name="CpuPercent">CPU use of the machine or container, 0–100 of the available cores.</param>
/// <param name="MemoryPercent">Memory in use as a percentage of the limit (container limit, else physical memory).</param>
/// <param name="MemoryMegabytes">Memory in use, MiB.</param>
/// <param name="FpsPerCamera">Processed frames per second per camera.</param>
/// <param name="QueueSizes">Named queue lengths (e.g. the event outbox).</param>
/// <param name="IsThrottling">True while the guard throttles processing.</param>
/// <param name="ThrottleReason">Why it throttles, or <c>null</c>.</param>
public sealed record ResourceSnapshot(
    DateTimeOffset Timestamp,
    double CpuPercent,
    double MemoryPercent,
    double MemoryMegabytes,
    IReadOnlyDictionary<string, double> FpsPerCamera,
    IReadOnlyDictionary<string, long> QueueSizes,
    bool IsThrottling,
    string? ThrottleReason);
