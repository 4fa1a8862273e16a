using HgCounter.Diagnostics;
using HgCounter.Health;
using HgCounter.WorkerSample;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.AspNetCore.HostFiltering;
using OpenTelemetry.Metrics;

// dotnet run --project samples/HgCounter.WorkerSample -- --urls http://127.0.0.1:5080 [--config cams.json] [--demo]
// Without cameras it counts the generated demo scene (synthetic:demo), labelled as a demo, only with --demo or when
// no sink is configured either: demo counts never reach a real sink by mistake.
// The dashboard ships next to the binary, so the worker serves it from any working directory.
var demoRequested = args.Contains(WorkerDefaults.DemoSwitch);
args = [.. args.Where(a => a != WorkerDefaults.DemoSwitch)]; // a bare switch would take the next argument as its value
var builder = WebApplication.CreateBuilder(new WebApplicationOptions
{
    Args = args,
    ContentRootPath = AppContext.BaseDirectory,
    WebRootPath = Path.Combine(AppContext.BaseDirectory, "wwwroot"),
});

// systemd LoadCredential=: the configuration with its secrets stays readable by root only and reaches this service alone.
if (WorkerDefaults.CredentialConfigPath() is { } credentialConfig)
{
    builder.Configuration.AddJsonFile(credentialConfig, optional: false);
}

var configPath = builder.Configuration["config"];
if (configPath is not null)
{
    builder.Configuration.AddJsonFile(Path.GetFullPath(configPath), optional: false);
}

builder.Configuration.AddCommandLine(args); // the command line wins over both files

var hasCameras = builder.Configuration.GetSection("HgCounter:Cameras").GetChildren().Any();
var hasSinks = builder.Configuration.GetSection("HgCounter:Events:Sinks").GetChildren().Any();
if (hasCameras && demoRequested)
{
    await Console.Error.WriteLineAsync("--demo counts the generated demo scene in place of cameras, but HgCounter:Cameras is configured: drop one of them.");
    return 2;
}

if (!hasCameras && hasSinks && !demoRequested)
{
    await Console.Error.WriteLineAsync("No camera is configured (HgCounter:Cameras) and events go to sinks (HgCounter:Events:Sinks): " +
        "the generated demo scene is counted only with --demo, so its counts never reach a real sink by mistake.");
    return 2;
}

var mode = new WorkerMode(IsDemo: !hasCameras);
if (mode.IsDemo)
{
    builder.Configuration.AddInMemoryCollection(WorkerDefaults.DemoCamera);
}

if (string.IsNullOrEmpty(builder.Configuration["urls"]) && !builder.Configuration.GetSection("Kestrel:Endpoints").GetChildren().Any())
{
    builder.WebHost.UseUrls(WorkerBinding.DefaultUrl); // loopback unless told otherwise
}

var binding = WorkerBinding.From(builder.Configuration);
builder.Host.UseSystemd();
builder.Services.AddHgCounter(builder.Configuration)
    .AddPostgreSqlSink() // "Type": "postgres" sinks (HgCounter.Sinks.PostgreSql)
    .AddMqttSink(); // "Type": "mqtt" sinks (HgCounter.Sinks.Mqtt)
builder.Services.AddOpenTelemetry().WithMetrics(metrics => metrics.AddMeter(HgCounterMeter.Name).AddPrometheusExporter());
builder.Services.AddOptions<WorkerAccessOptions>().Bind(builder.Configuration.GetSection("Worker")).ValidateDataAnnotations().ValidateOnStart();
builder.Services.AddSingleton(binding);
builder.Services.AddSingleton(mode);
builder.Services.AddSingleton<StatusFeed>();
builder.Services.AddHostedService(sp => sp.GetRequiredService<StatusFeed>());

// DNS rebinding: a page of another site whose name now resolves to 127.0.0.1 sends its own name as Host: answer 400.
builder.Services.Configure<HostFilteringOptions>(o => o.AllowedHosts = binding.AllowedHosts(builder.Configuration));
builder.Services.ConfigureHttpJsonOptions(o => WorkerJson.Configure(o.SerializerOptions));

var app = builder.Build();
if (mode.IsDemo)
{
    app.Logger.LogWarning("DEMO: no camera is configured, counting the generated demo scene (synthetic:demo); its counts are not real (status \"demo\": true). Configure HgCounter:Cameras to count cameras.");
}

app.UseDefaultFiles();
app.UseStaticFiles();
app.UseReadAccess();

// Probes stay open to orchestrators: a status code and a word, no details (those are in /health).
app.MapHealthChecks("/healthz", new HealthCheckOptions { Predicate = c => c.Tags.Contains(HgCounterHealthTags.Live) });
app.MapHealthChecks("/readyz", new HealthCheckOptions { Predicate = c => c.Tags.Contains(HgCounterHealthTags.Ready) });
app.MapPrometheusScrapingEndpoint("/metrics").RequireReadKey();
app.MapWorkerApi();
app.MapDashboardApi();
await app.RunAsync();
return 0;
