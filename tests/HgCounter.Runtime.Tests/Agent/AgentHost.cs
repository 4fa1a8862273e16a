using HgCounter.Configuration;
using HgCounter.Health;
using HgCounter.Runtime.Agent;
using HgCounter.Status;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace HgCounter.Runtime.Tests.Agent;

/// <summary>A real host running the agent from <c>AddHgCounter()</c> in a temporary data directory.</summary>
internal sealed class AgentHost : IAsyncDisposable
{
    private readonly IHost _host;

    private AgentHost(IHost host, string dataDirectory)
    {
        _host = host;
        DataDirectory = dataDirectory;
        Agent = host.Services.GetRequiredService<CounterAgent>();
    }

    public CounterAgent Agent { get; }

    public string DataDirectory { get; }

    /// <summary>The host's services (health checks, outbox).</summary>
    public IServiceProvider Services => _host.Services;

    /// <summary>
    /// Starts the host; <paramref name="services"/> may register replacements first (AddHgCounter only adds what is
    /// missing), and <paramref name="build"/> may add detectors, sinks or logging before it is built.
    /// </summary>
    public static async Task<AgentHost> StartAsync(string dataDirectory, Action<HgCounterOptions> configure, Action<HostApplicationBuilder, HgCounterBuilder>? build = null, Action<IServiceCollection>? services = null)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        services?.Invoke(builder.Services);
        var hgCounter = builder.Services.AddHgCounter(o =>
        {
            o.DataDirectory = dataDirectory;
            o.Events.OutboxPath = Path.Combine(dataDirectory, "outbox.db");
            o.StatusInterval = TimeSpan.FromMilliseconds(200);
            o.HealthChecks.DnsHost = null;
            configure(o);
        });
        build?.Invoke(builder, hgCounter);
        var host = builder.Build();
        await host.StartAsync(Testing.TestContext.Timeout(60));
        return new AgentHost(host, dataDirectory);
    }

    /// <summary>Polls the status until <paramref name="condition"/> holds; fails with the last status after <paramref name="seconds"/>.</summary>
    public async Task<StatusSnapshot> WaitForAsync(Func<StatusSnapshot, bool> condition, double seconds = 60)
    {
        var deadline = DateTime.UtcNow.AddSeconds(seconds);
        while (true)
        {
            var status = Agent.CurrentStatus;
            if (condition(status))
            {
                return status;
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException("Condition not met within " + seconds + " s; last status: " + System.Text.Json.JsonSerializer.Serialize(status));
            }

            await Task.Delay(100);
        }
    }

    /// <summary>A library scene as a recording (read as fast as the pipeline goes, once), with the scene's own lines and zones.</summary>
    public static CameraOptions SceneCamera(string name, string scene)
    {
        var camera = new CameraOptions { Name = name, Url = "synthetic:" + scene, Detector = "motion", Realtime = false };
        foreach (var line in HgCounter.Rtsp.Synthetic.SyntheticScenes.Get(scene).Lines)
        {
            camera.Lines.Add(line);
        }

        foreach (var zone in HgCounter.Rtsp.Synthetic.SyntheticScenes.Get(scene).Zones)
        {
            camera.Zones.Add(zone);
        }

        return camera;
    }

    /// <summary>The named camera's health in <paramref name="status"/>, or null before the camera appears.</summary>
    public static CameraHealth? Health(StatusSnapshot status, string camera) =>
        status.Cameras.FirstOrDefault(c => c.Name == camera)?.Health.Health;

    public Task StopAsync() => _host.StopAsync(Testing.TestContext.Timeout(60));

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        _host.Dispose();
    }
}
