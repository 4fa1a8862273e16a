using HgCounter.Configuration;
using HgCounter.Reliability.Resources;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace HgCounter.Reliability.Health;

/// <summary>CPU use of the container or machine: warning at <c>CpuWarningPercent</c> (90 %); never an error (a busy machine still counts).</summary>
internal sealed class CpuHealthCheck(IResourceReader reader, HealthCheckOptions options) : IHealthCheck
{
    /// <inheritdoc />
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var r = reader.Read();
        var status = HealthThresholds.Evaluate(r.CpuPercent, options.CpuWarningPercent);
        var message = FormattableString.Invariant($"cpu {r.CpuPercent:0.0} % ({r.Source}; process {r.ProcessCpuPercent:0.0} %): ")
            + HealthThresholds.Describe(status, options.CpuWarningPercent);
        var data = new Dictionary<string, object> { ["cpuPercent"] = r.CpuPercent, ["processCpuPercent"] = r.ProcessCpuPercent };
        return Task.FromResult(new HealthCheckResult(status, message, data: data));
    }
}
