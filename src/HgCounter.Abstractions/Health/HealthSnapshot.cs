using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace HgCounter.Health;

/// <summary>One run of all health checks: overall status is the worst check.</summary>
/// <param name="Timestamp">When the checks ran.</param>
/// <param name="Overall">Worst status of <paramref name="Checks"/>.</param>
/// <param name="Checks">Each check's result.</param>
public sealed record HealthSnapshot(DateTimeOffset Timestamp, HealthStatus Overall, IReadOnlyList<HealthCheckEntry> Checks);
