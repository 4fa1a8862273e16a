using System.Net;
using HgCounter.WorkerSample;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using OpenTelemetry.Metrics;

// dotnet run --project samples/HgCounter.WorkerSample -- --urls http://127.0.0.1:5080 [--config cams.json]
// Without cameras configured it counts the generated demo scene (synthetic:demo).
// The dashboard ships next to the binary, so the worker serves it from any working directory.
var builder = WebApplication.CreateBuilder(new WebApplicationOptions
{
    Args = args,
    ContentRootPath = AppContext.BaseDirectory,
    WebRootPath = Path.Combine(AppContext.BaseDirectory, "wwwroot"),
});
var configPath = builder.Configuration["config"];
if (configPath is not null)
{
    builder.Configuration.AddJsonFile(Path.GetFullPath(configPath), optional: false);
    builder.Configuration.AddCommandLine(args);
}

if (!builder.Configuration.GetSection("HgCounter:Cameras").GetChildren().Any())
{
    builder.Configuration.AddInMemoryCollection(WorkerDefaults.DemoCamera);
}

if (string.IsNullOrEmpty(builder.Configuration["urls"]) && string.IsNullOrEmpty(builder.Configuration["ASPNETCORE_URLS"]))
{
    builder.WebHost.UseUrls("http://127.0.0.1:5080"); // loopback unless told otherwise
}

builder.Host.UseSystemd();
builder.Services.AddHgCounter(builder.Configuration);
builder.Services.AddOpenTelemetry().WithMetrics(metrics => metrics.AddMeter("HgCounter").AddPrometheusExporter());
builder.Services.Configure<WorkerAccessOptions>(builder.Configuration.GetSection("Worker"));
builder.Services.ConfigureHttpJsonOptions(o => WorkerJson.Configure(o.SerializerOptions));

var app = builder.Build();
app.UseDefaultFiles();
app.UseStaticFiles();
app.MapHealthChecks("/healthz", new HealthCheckOptions { Predicate = c => c.Tags.Contains("live") });
app.MapHealthChecks("/readyz", new HealthCheckOptions { Predicate = c => c.Tags.Contains("ready") });
app.MapPrometheusScrapingEndpoint("/metrics");
app.MapWorkerApi();
await app.RunAsync();
