using HgCounter.Configuration;
using HgCounter.Rtsp.Synthetic;
using HgCounter.Runtime.Agent;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace HgCounter.Sinks.Mqtt.Tests;

/// <summary>A real host: <c>AddHgCounter().AddMqttSink()</c> with generated scenes as recordings and one mqtt sink.</summary>
internal sealed class MqttAgentHost : IAsyncDisposable
{
    public const string Prefix = "hgtest";

    private readonly IHost _host;

    private MqttAgentHost(IHost host) => _host = host;

    public CounterAgent Agent => _host.Services.GetRequiredService<CounterAgent>();

    public static readonly string[] Scenes = ["cross-both-ways", "side-by-side"];

    public static async Task<MqttAgentHost> StartAsync(string dataDirectory, string workerId, string server, Action<MqttSinkOptions>? configure = null)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Services.AddHgCounter(o =>
        {
            o.WorkerId = workerId;
            o.DataDirectory = dataDirectory;
            o.Events.OutboxPath = Path.Combine(dataDirectory, "outbox.db");
            o.StatusInterval = TimeSpan.FromMilliseconds(200);
            o.HealthChecks.DnsHost = null;
            foreach (var scene in Scenes)
            {
                o.Cameras.Add(SceneCamera(scene));
            }

            var sink = new MqttSinkOptions { Server = server, Prefix = Prefix, StateInterval = TimeSpan.FromMilliseconds(200), Timeout = TimeSpan.FromSeconds(5) };
            configure?.Invoke(sink);
            o.Events.Sinks.Add(sink);
        }).AddMqttSink();
        var host = builder.Build();
        await host.StartAsync(Testing.TestContext.Timeout(60));
        return new MqttAgentHost(host);
    }

    /// <summary>A library scene read once as fast as the pipeline goes, with its own lines; the camera is named after it.</summary>
    public static CameraOptions SceneCamera(string scene)
    {
        var camera = new CameraOptions { Name = scene, Url = "synthetic:" + scene, Detector = "motion", Realtime = false };
        foreach (var line in SyntheticScenes.Get(scene).Lines)
        {
            camera.Lines.Add(line);
        }

        return camera;
    }

    /// <summary>Waits until every camera finished and every event was acknowledged by the broker.</summary>
    public async Task WaitUntilCountedAndDeliveredAsync()
    {
        await Agent.Completion.WaitAsync(TimeSpan.FromSeconds(180));
        (await Agent.WaitForDeliveryAsync(TimeSpan.FromSeconds(90), Testing.TestContext.Timeout(120))).Should().BeTrue("the broker is up");
    }

    public async ValueTask DisposeAsync()
    {
        await _host.StopAsync(Testing.TestContext.Timeout(60));
        _host.Dispose();
    }
}
