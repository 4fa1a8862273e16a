using HgCounter.Configuration;
using HgCounter.Runtime.Sinks;
using Microsoft.Extensions.Logging;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Adds the PostgreSQL sink to HgCounter.</summary>
public static class PostgreSqlHgCounterBuilderExtensions
{
    /// <summary>
    /// Lets <c>HgCounter:Events:Sinks:N</c> entries with <c>"Type": "postgres"</c> (bound to <see cref="PostgreSqlSinkOptions"/>)
    /// deliver to PostgreSQL. Calling it more than once is harmless.
    /// </summary>
    public static HgCounterBuilder AddPostgreSqlSink(this HgCounterBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        // The factory owns the sink: its connection pool is disposed with the host.
        return builder.AddSink<PostgreSqlSinkOptions>(PostgreSqlSinkOptions.SinkType, (services, options) =>
            services.GetRequiredService<CountEventSinkFactory>().Own(new PostgresSink(
                options,
                services.GetRequiredService<ILoggerFactory>().CreateLogger<PostgresSink>(),
                services.GetRequiredService<TimeProvider>())));
    }
}
