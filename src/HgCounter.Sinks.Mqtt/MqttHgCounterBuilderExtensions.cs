using HgCounter.Configuration;
using HgCounter.Runtime.Agent;
using HgCounter.Runtime.Sinks;
using HgCounter.Sinks.Mqtt;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Adds the MQTT sink to HgCounter.</summary>
public static class MqttHgCounterBuilderExtensions
{
    /// <summary>
    /// Lets <c>HgCounter:Events:Sinks:N</c> entries with <c>"Type": "mqtt"</c> (bound to <see cref="MqttSinkOptions"/>)
    /// publish events, retained totals and camera state, availability and Home Assistant discovery to an MQTT broker.
    /// Calling it more than once is harmless.
    /// </summary>
    public static HgCounterBuilder AddMqttSink(this HgCounterBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.TryAddSingleton<MqttSinkRegistry>();
        builder.Services.TryAddEnumerable(ServiceDescriptor.Singleton<IHostedService, MqttStatusPublisher>());
        // The factory owns the sink: its connection says offline and closes with the host.
        return builder.AddSink<MqttSinkOptions>(MqttSinkOptions.SinkType, (services, options) =>
        {
            var hgCounter = services.GetRequiredService<IOptions<HgCounterOptions>>().Value;
            var key = $"{HgCounterOptions.SectionName}:Events:Sinks:{hgCounter.Events.Sinks.IndexOf(options)}";
            var sink = new MqttSink(
                options,
                WorkerIdentity.Resolve(hgCounter.WorkerId),
                hgCounter.Cameras,
                key,
                services.GetRequiredService<ILoggerFactory>().CreateLogger<MqttSink>());
            return services.GetRequiredService<CountEventSinkFactory>().Own(services.GetRequiredService<MqttSinkRegistry>().Add(sink));
        });
    }
}
