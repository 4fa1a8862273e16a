using HgCounter.Runtime.Agent;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace HgCounter.Runtime.Health;

/// <summary>Liveness: the agent's loops are running. A dead camera is not a liveness failure (the watchdog handles it).</summary>
internal sealed class AgentLivenessCheck(CounterAgent agent) : IHealthCheck
{
    /// <summary>Registered name.</summary>
    public const string Name = "hgcounter-agent";

    /// <inheritdoc />
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        Task.FromResult(agent.LoopsAlive || agent.Completion.IsCompleted
            ? HealthCheckResult.Healthy(agent.Completion.IsCompleted ? "every camera finished" : "camera loops running")
            : HealthCheckResult.Unhealthy("the counting agent is not running"));
}
