using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace HgCounter.Reliability.Health;

/// <summary>Maps a measured percentage to a status: at or above the error threshold Unhealthy, at or above the warning threshold Degraded.</summary>
internal static class HealthThresholds
{
    public static HealthStatus Evaluate(double value, double warning, double? error = null) =>
        error is { } e && value >= e ? HealthStatus.Unhealthy
        : value >= warning ? HealthStatus.Degraded
        : HealthStatus.Healthy;

    public static string Describe(HealthStatus status, double warning, double? error = null) => status switch
    {
        HealthStatus.Unhealthy => FormattableString.Invariant($"at or above the error threshold {error:0.#} %"),
        HealthStatus.Degraded => FormattableString.Invariant($"at or above the warning threshold {warning:0.#} %"),
        _ => FormattableString.Invariant($"below the warning threshold {warning:0.#} %"),
    };
}
