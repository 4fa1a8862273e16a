using HgCounter.Configuration;
using HgCounter.Reliability.Health;
using HgCounter.Reliability.Metrics;
using HgCounter.Reliability.Resources;
using HgCounter.Reliability.Watchdog;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers the reliability services of HgCounter.</summary>
public static class HgCounterReliabilityServiceCollectionExtensions
{
    /// <summary>
    /// Registers <see cref="RtspWatchdog"/>, <see cref="ResourceGuard"/>, <see cref="HealthChecker"/>, <see cref="HgCounterMetrics"/>,
    /// the Linux resource reader and <see cref="TimeProvider.System"/> as singletons (TryAdd: calling twice is harmless).
    /// Options come from <c>IOptions&lt;WatchdogOptions&gt;</c>, <c>IOptions&lt;ResourceGuardOptions&gt;</c> and
    /// <c>IOptions&lt;HealthCheckOptions&gt;</c>, what the checks look at from <see cref="HealthCheckTargets"/> (defaults when
    /// not registered; <c>AddHgCounter()</c> provides all of them from <c>HgCounterOptions</c>). Background loops start with <c>Start()</c>.
    /// </summary>
    public static IServiceCollection AddHgCounterReliability(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.AddOptions();
        services.TryAddSingleton(new HealthCheckTargets());
        services.AddMetrics();
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<ISystemFiles>(PhysicalSystemFiles.Instance);
        services.TryAddSingleton<IResourceReader>(sp => new LinuxResourceReader(sp.GetRequiredService<ISystemFiles>(), sp.GetRequiredService<TimeProvider>()));
        services.TryAddSingleton(sp => new HgCounterMetrics(sp.GetRequiredService<System.Diagnostics.Metrics.IMeterFactory>()));
        services.TryAddSingleton(sp => new RtspWatchdog(
            Options<WatchdogOptions>(sp),
            sp.GetRequiredService<TimeProvider>(),
            sp.GetService<ILogger<RtspWatchdog>>(),
            sp.GetService<HgCounterMetrics>()));
        services.TryAddSingleton(sp => new ResourceGuard(
            Options<ResourceGuardOptions>(sp),
            sp.GetRequiredService<IResourceReader>(),
            sp.GetRequiredService<TimeProvider>(),
            sp.GetService<ILogger<ResourceGuard>>(),
            sp.GetService<HgCounterMetrics>()));
        services.TryAddSingleton(sp => new HealthChecker(
            Options<HealthCheckOptions>(sp),
            sp.GetRequiredService<HealthCheckTargets>(),
            sp.GetRequiredService<IResourceReader>(),
            sp.GetRequiredService<ISystemFiles>(),
            sp.GetRequiredService<TimeProvider>(),
            sp.GetService<RtspWatchdog>(),
            sp.GetService<ILogger<HealthChecker>>(),
            sp.GetService<HgCounterMetrics>()));
        return services;
    }

    private static T Options<T>(IServiceProvider services)
        where T : class => services.GetRequiredService<IOptions<T>>().Value;
}
