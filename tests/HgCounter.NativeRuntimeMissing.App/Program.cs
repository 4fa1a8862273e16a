// Starts the agent as an application without native runtime packages would: args are the detector (motion or onnx),
// a data directory and, for onnx, the model path. Start-up must fail naming the packages to add.
using HgCounter.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

var detector = args[0];
var data = args[1];
var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
builder.Services.AddHgCounter(o =>
{
    o.DataDirectory = data;
    o.Events.OutboxPath = Path.Combine(data, "outbox.db");
    o.HealthChecks.DnsHost = null;
    var camera = new CameraOptions { Name = "door", Url = "synthetic:cross-both-ways", Detector = detector, Realtime = false };
    camera.Lines.Add(new LineOptions { Name = "door", Start = [0, 120], End = [320, 120] });
    o.Cameras.Add(camera);
    if (args.Length > 2)
    {
        o.Detectors.Onnx.ModelPath = args[2];
    }
});

using var host = builder.Build();
using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
await host.StartAsync(timeout.Token);
Console.WriteLine("started");
await host.StopAsync(timeout.Token);
