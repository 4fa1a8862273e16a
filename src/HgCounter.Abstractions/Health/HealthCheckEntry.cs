using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace HgCounter.Health;

/// <summary>Result of one named check (disk, memory, cpu, network, permissions, cameras …).</summary>
/// <param name="Name">Check name.</param>
/// <param name="Status">Healthy, Degraded (warning) or Unhealthy (error).</param>
/// <param name="Message">What was measured and why it has this status; redacted.</param>
public sealed record HealthCheckEntry(string Name, HealthStatus Status, string Message);
