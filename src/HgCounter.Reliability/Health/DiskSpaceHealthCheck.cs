using HgCounter.Configuration;
using HgCounter.Reliability.Resources;
using HgCounter.Security;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace HgCounter.Reliability.Health;

/// <summary>Disk use of the file system holding the data directory: warning at <c>DiskWarningPercent</c> (85 %), error at <c>DiskErrorPercent</c> (95 %).</summary>
internal sealed class DiskSpaceHealthCheck(string dataDirectory, HealthCheckOptions options, ISystemFiles files) : IHealthCheck
{
    /// <inheritdoc />
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var space = files.GetDiskSpace(dataDirectory);
        if (space is not { } s)
        {
            return Task.FromResult(HealthCheckResult.Unhealthy(Redactor.Redact($"cannot read disk space of {dataDirectory}")));
        }

        var used = s.UsedPercent;
        var status = HealthThresholds.Evaluate(used, options.DiskWarningPercent, options.DiskErrorPercent);
        var message = FormattableString.Invariant($"disk {used:0.0} % used ({s.AvailableBytes / 1_073_741_824.0:0.0} GiB free) at {dataDirectory}: ")
            + HealthThresholds.Describe(status, options.DiskWarningPercent, options.DiskErrorPercent);
        var data = new Dictionary<string, object> { ["usedPercent"] = used, ["availableBytes"] = s.AvailableBytes };
        return Task.FromResult(new HealthCheckResult(status, Redactor.Redact(message), data: data));
    }
}
