using System.Globalization;
using HgCounter.Runtime.Agent;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace HgCounter.Runtime.Health;

/// <summary>Readiness: detectors are loaded (the loops started) and at least one camera delivers frames.</summary>
internal sealed class AgentReadinessCheck(CounterAgent agent) : IHealthCheck
{
    /// <summary>Registered name.</summary>
    public const string Name = "hgcounter-ready";

    /// <inheritdoc />
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        if (!agent.LoopsAlive)
        {
            return Task.FromResult(HealthCheckResult.Unhealthy("the counting agent is not running"));
        }

        var delivering = agent.CamerasDelivering;
        var total = agent.CurrentStatus.Cameras.Count;
        var message = string.Create(CultureInfo.InvariantCulture, $"{delivering} of {total} camera(s) delivering frames");
        return Task.FromResult(delivering > 0 ? HealthCheckResult.Healthy(message) : HealthCheckResult.Unhealthy(message));
    }
}
