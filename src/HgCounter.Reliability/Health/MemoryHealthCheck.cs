using HgCounter.Configuration;
using HgCounter.Reliability.Resources;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace HgCounter.Reliability.Health;

/// <summary>Memory use of the container (cgroup limit) or machine: warning at <c>MemoryWarningPercent</c> (80 %), error at <c>MemoryErrorPercent</c> (90 %).</summary>
internal sealed class MemoryHealthCheck(IResourceReader reader, HealthCheckOptions options) : IHealthCheck
{
    /// <inheritdoc />
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var r = reader.Read();
        var status = HealthThresholds.Evaluate(r.MemoryPercent, options.MemoryWarningPercent, options.MemoryErrorPercent);
        var message = FormattableString.Invariant(
            $"memory {r.MemoryPercent:0.0} % of {r.MemoryLimitBytes / 1_048_576.0:0} MiB ({r.Source}; process {r.ProcessMemoryBytes / 1_048_576.0:0} MiB): ")
            + HealthThresholds.Describe(status, options.MemoryWarningPercent, options.MemoryErrorPercent);
        var data = new Dictionary<string, object> { ["memoryPercent"] = r.MemoryPercent, ["memoryUsedBytes"] = r.MemoryUsedBytes };
        return Task.FromResult(new HealthCheckResult(status, message, data: data));
    }
}
