using HgCounter.Configuration;
using HgCounter.Runtime.Configuration;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers HgCounter. Calling it more than once is harmless.</summary>
public static class HgCounterServiceCollectionExtensions
{
    /// <summary>
    /// Adds HgCounter bound to the <c>HgCounter</c> section of <paramref name="configuration"/> (or to
    /// <paramref name="configuration"/> itself when it is that section). Options are validated when the host starts.
    /// </summary>
    public static HgCounterBuilder AddHgCounter(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var section = configuration is IConfigurationSection { Key: HgCounterOptions.SectionName } own
            ? own
            : configuration.GetSection(HgCounterOptions.SectionName);
        var builder = services.AddHgCounterCore();
        services.AddOptions<HgCounterOptions>().Bind(section);
        return builder;
    }

    /// <summary>Adds HgCounter configured in code. Options are validated when the host starts.</summary>
    public static HgCounterBuilder AddHgCounter(this IServiceCollection services, Action<HgCounterOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(configure);
        var builder = services.AddHgCounterCore();
        services.Configure(configure);
        return builder;
    }

    private static HgCounterBuilder AddHgCounterCore(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.AddOptions<HgCounterOptions>().ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<HgCounterOptions>, HgCounterOptionsValidator>());
        services.TryAddSingleton(TimeProvider.System);

        var builder = new HgCounterBuilder(services)
            .AddDetectorName("motion")
            .AddDetectorName("onnx", requiresModelFile: true)
            .AddSinkType("postgres")
            .AddSinkType("http")
            .AddSinkType("jsonl");
        return builder;
    }
}
