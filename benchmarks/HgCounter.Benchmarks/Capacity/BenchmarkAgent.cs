using HgCounter.Runtime.Agent;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace HgCounter.Benchmarks.Capacity;

/// <summary>
/// The real agent as a service would run it: <c>AddHgCounter(IConfiguration)</c> in a generic host, bound to the keys
/// of <see cref="AgentSettings"/>, with a data directory of its own that is deleted when it stops.
/// </summary>
internal sealed class BenchmarkAgent : IAsyncDisposable
{
    private readonly IHost _host;
    private readonly string _data;

    private BenchmarkAgent(IHost host, string data)
    {
        _host = host;
        _data = data;
        Agent = host.Services.GetRequiredService<CounterAgent>();
    }

    public CounterAgent Agent { get; }

    public static async Task<BenchmarkAgent> StartAsync(Action<AgentSettings> configure)
    {
        var data = Path.Combine(Path.GetTempPath(), "hgcounter-capacity-" + Guid.NewGuid().ToString("N"));
        var settings = new AgentSettings(data);
        configure(settings);
        var builder = Host.CreateApplicationBuilder([]);
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.Logging.AddFilter("HgCounter.Runtime.Events.OutboxUploader", LogLevel.Error); // "no sinks": on purpose here
        builder.Services.AddHgCounter(settings.Build());
        var agent = new BenchmarkAgent(builder.Build(), data);
        try
        {
            await agent._host.StartAsync();
            return agent;
        }
        catch
        {
            await agent.DisposeAsync();
            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            await _host.StopAsync(CancellationToken.None);
        }
        finally
        {
            _host.Dispose();
            if (Directory.Exists(_data))
            {
                Directory.Delete(_data, recursive: true);
            }
        }
    }
}
