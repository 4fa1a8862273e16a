using System.Diagnostics.Metrics;
using HgCounter.Configuration;
using HgCounter.Events;
using HgCounter.Frames;
using HgCounter.Inference.Detectors;
using HgCounter.Reliability.Health;
using HgCounter.Rtsp.Sources;
using HgCounter.Rtsp.Synthetic;
using HgCounter.Runtime;
using HgCounter.Runtime.Agent;
using HgCounter.Runtime.Configuration;
using HgCounter.Runtime.Evaluation;
using HgCounter.Runtime.Events;
using HgCounter.Runtime.Health;
using HgCounter.Runtime.History;
using HgCounter.Runtime.Sinks;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using HgCounter.Health;

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
        services.AddSingleton<IPostConfigureOptions<HgCounterOptions>>(sp => new SinkOptionsBinding(section.GetSection("Events:Sinks"), sp.GetServices<SinkRegistration>()));
        services.AddOptions<OutboxUploaderOptions>().Bind(section.GetSection(OutboxUploaderOptions.SectionName));
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
        services.AddOptions<OutboxUploaderOptions>().ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<OutboxUploaderOptions>, OutboxUploaderOptionsValidator>());
        AddReliabilityFromHgCounterOptions(services);
        services.AddHgCounterReliability();

        services.TryAddSingleton<IFrameSourceFactory>(sp =>
        {
            var time = sp.GetRequiredService<TimeProvider>();
            // A frame pool per source: buffers stay with one camera and its frame size.
            return new FrameSourceFactory(
                pool: null,
                time,
                sp.GetRequiredService<ILoggerFactory>(),
                FrameSourceFactory.GeneratedScenes(time));
        });

        services.TryAddSingleton<CountEventSinkFactory>();
        services.TryAddSingleton(sp =>
        {
            var options = Options(sp);
            var time = sp.GetRequiredService<TimeProvider>();
            var history = new CountHistorySettings(options.History, TimeZoneSetting.Resolve(options.TimeZone, time));
            return new EventOutbox(options.Events, sp.GetRequiredService<ILogger<EventOutbox>>(), time, freeDiskBytes: null, history: history);
        });
        services.TryAddSingleton<ICountHistory>(sp => sp.GetRequiredService<EventOutbox>().History!);
        services.TryAddSingleton(sp => new OutboxUploader(
            sp.GetRequiredService<EventOutbox>(),
            CreateSinks(sp),
            Options(sp).Events,
            sp.GetRequiredService<IOptions<OutboxUploaderOptions>>().Value,
            sp.GetRequiredService<ILogger<OutboxUploader>>(),
            sp.GetRequiredService<TimeProvider>()));

        services.TryAddSingleton<CounterAgent>();
        services.TryAddSingleton<AccuracyEvaluator>();
        services.TryAddSingleton<ICounterAgent>(sp => sp.GetRequiredService<CounterAgent>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IHostedService, CounterAgent>(sp => sp.GetRequiredService<CounterAgent>()));

        if (!services.Any(d => d.ServiceType == typeof(AgentLivenessCheck)))
        {
            services.AddSingleton<AgentLivenessCheck>().AddSingleton<AgentReadinessCheck>();
            services.AddSingleton(sp => new OutboxHealthCheck(sp.GetRequiredService<EventOutbox>(), Options(sp).Events, sp.GetRequiredService<OutboxUploader>()));
            services.AddHealthChecks()
                .AddHgCounterChecks()
                .AddCheck<AgentLivenessCheck>(AgentLivenessCheck.Name, tags: [HgCounterHealthTags.All, HgCounterHealthTags.Live])
                .AddCheck<AgentReadinessCheck>(AgentReadinessCheck.Name, tags: [HgCounterHealthTags.All, HgCounterHealthTags.Ready])
                .AddCheck<OutboxHealthCheck>("hgcounter-" + OutboxHealthCheck.Name, tags: [HgCounterHealthTags.All, HgCounterHealthTags.Ready]);
        }

        return new HgCounterBuilder(services)
            .AddDetector("motion", sp => new MotionDetectorFactory(Options(sp).Detectors.Motion))
            .AddDetector("onnx", sp => new OnnxDetectorFactory(Options(sp).Detectors.Onnx, sp.GetRequiredService<TimeProvider>(), sp.GetService<IMeterFactory>()),
                requiresModelFile: true)
            .AddSink<HttpSinkOptions>(HttpSinkOptions.SinkType, BuiltInSink)
            .AddSink<JsonlSinkOptions>(JsonlSinkOptions.SinkType, BuiltInSink);
    }

    // Reliability reads its own options; here each is the nested section of HgCounterOptions (the same instance, so
    // the one validation of the tree covers it), registered before AddHgCounterReliability() adds its defaults.
    private static void AddReliabilityFromHgCounterOptions(IServiceCollection services)
    {
        services.TryAddSingleton<IOptions<WatchdogOptions>>(sp => Microsoft.Extensions.Options.Options.Create(Options(sp).Watchdog));
        services.TryAddSingleton<IOptions<ResourceGuardOptions>>(sp => Microsoft.Extensions.Options.Options.Create(Options(sp).ResourceGuard));
        services.TryAddSingleton<IOptions<HealthCheckOptions>>(sp => Microsoft.Extensions.Options.Options.Create(Options(sp).HealthChecks));
        services.TryAddSingleton(sp =>
        {
            var options = Options(sp);
            var outboxDirectory = Path.GetDirectoryName(Path.GetFullPath(options.Events.OutboxPath)) ?? options.DataDirectory;
            return new HealthCheckTargets { DataDirectory = options.DataDirectory, WritableDirectories = [outboxDirectory], Cameras = [.. options.Cameras] };
        });
    }

    // The factory owns (and disposes) the built-in sinks: HTTP clients, file handles.
    private static ICountEventSink BuiltInSink(IServiceProvider services, SinkOptions options) =>
        services.GetRequiredService<CountEventSinkFactory>().Create(options);

    private static List<ICountEventSink> CreateSinks(IServiceProvider services)
    {
        var registrations = services.GetServices<SinkRegistration>().ToList();
        return
        [
            .. Options(services).Events.Sinks.Select(sink => registrations
                .First(r => string.Equals(r.Type, sink.Type, StringComparison.OrdinalIgnoreCase))
                .Create(services, sink)),
        ];
    }

    private static HgCounterOptions Options(IServiceProvider services) => services.GetRequiredService<IOptions<HgCounterOptions>>().Value;
}
