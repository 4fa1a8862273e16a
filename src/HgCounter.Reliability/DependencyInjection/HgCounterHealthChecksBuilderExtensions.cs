using HgCounter.Reliability.Health;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Adds the HgCounter checks to ASP.NET Core / generic-host health checks.</summary>
public static class HgCounterHealthChecksBuilderExtensions
{
    /// <summary>Prefix of the registration names (<c>hgcounter-disk</c>, <c>hgcounter-memory</c> …).</summary>
    public const string NamePrefix = "hgcounter-";

    /// <summary>
    /// Registers each check of <see cref="HealthChecker"/> as an <see cref="IHealthCheck"/> named <c>hgcounter-&lt;check&gt;</c>,
    /// tagged <c>hgcounter</c> plus <c>live</c> and/or <c>ready</c> (see <see cref="HealthChecker.TagsOf"/>), so hosts can map
    /// liveness and readiness endpoints and health publishers. Also calls <c>AddHgCounterReliability()</c>.
    /// </summary>
    public static IHealthChecksBuilder AddHgCounterChecks(this IHealthChecksBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddHgCounterReliability();
        foreach (var name in new[] { HealthChecker.DiskCheck, HealthChecker.MemoryCheck, HealthChecker.CpuCheck, HealthChecker.NetworkCheck, HealthChecker.PermissionsCheck, HealthChecker.CamerasCheck })
        {
            builder.Add(new HealthCheckRegistration(
                NamePrefix + name,
                sp => sp.GetRequiredService<HealthChecker>().Checks.TryGetValue(name, out var check) ? check : new AlwaysHealthy(),
                failureStatus: null,
                tags: HealthChecker.TagsOf(name)));
        }

        return builder;
    }

    private sealed class AlwaysHealthy : IHealthCheck
    {
        public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
            Task.FromResult(HealthCheckResult.Healthy("not configured"));
    }
}
