using System.Globalization;
using HgCounter.Health;
using HgCounter.Reliability.Watchdog;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace HgCounter.Reliability.Health;

/// <summary>The watchdog's view: Unhealthy when every camera that should stream is Offline/Reconnecting, Degraded when some are (or are Degraded).</summary>
internal sealed class CameraHealthCheck(RtspWatchdog watchdog) : IHealthCheck
{
    /// <inheritdoc />
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var summary = watchdog.GetStatusSummary();
        var active = summary.Cameras.Count(c => c.Health != CameraHealth.Finished);
        var status = summary.Offline > 0 && summary.Offline == active ? HealthStatus.Unhealthy
            : summary.Offline > 0 || summary.Degraded > 0 ? HealthStatus.Degraded
            : HealthStatus.Healthy;
        var down = summary.Cameras.Where(c => c.Health is CameraHealth.Offline or CameraHealth.Reconnecting or CameraHealth.Degraded)
            .Select(c => c.LastError is null ? $"{c.Name} {c.Health}" : $"{c.Name} {c.Health} ({c.LastError})");
        var message = string.Create(CultureInfo.InvariantCulture, $"{summary.Total} camera(s): {summary.Healthy} healthy, {summary.Degraded} degraded, {summary.Offline} offline")
            + (status == HealthStatus.Healthy ? string.Empty : "; " + string.Join("; ", down));
        return Task.FromResult(new HealthCheckResult(status, message));
    }
}
