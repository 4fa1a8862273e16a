using HgCounter.ConsoleSample;
using HgCounter.Runtime;
using HgCounter.Configuration;
using HgCounter.Runtime.Events;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

// Usage:
//   dotnet run --project samples/HgCounter.ConsoleSample                       embedded demo (local RTSP server + motion detector)
//   dotnet run --project samples/HgCounter.ConsoleSample -- --config cams.json  your cameras ("HgCounter" section)
//   ... --HgCounter:Cameras:0:Url=rtsp://... --run-for 00:01:00 --summary summary.json
//   ... --config cams.json --redrive-poisoned                                 move poisoned events back to pending, then exit
//   ... --config cams.json --export-counts counts.csv [--bucket 15m|1h|1d] [--from T] [--to T] [--camera NAME]  write the count history, exit
//   ... --config cams.json --snapshot CAMERA out.jpg                          one picture with the lines drawn, then exit
//   ... --snapshot-every 00:00:30 [--snapshot-dir snapshots]                  every camera's picture to DIR/CAMERA.jpg while running
//   ... evaluate --config cfg.json --gt gt.txt [--camera NAME] [--output report.json]  score a recording against ground truth
SampleArguments options;
try
{
    options = SampleArguments.Parse(args);
}
catch (ArgumentException ex)
{
    await Console.Error.WriteLineAsync(ex.Message);
    return 2;
}

var builder = Host.CreateApplicationBuilder(options.HostArgs);
builder.Logging.ClearProviders();
if (options.ConfigPath is not null)
{
    builder.Configuration.AddJsonFile(Path.GetFullPath(options.ConfigPath), optional: false);
    builder.Configuration.AddCommandLine(options.HostArgs); // command-line overrides win over the file
}

if (options.Evaluate is { } evaluate)
{
    return await EvaluateCommand.RunAsync(builder, evaluate);
}

if (options.RedrivePoisoned)
{
    // Opens the configured outbox only (no camera, no sink, so no camera configuration is needed). A running worker or
    // the next run delivers what was moved back.
    var events = builder.Configuration.GetSection("HgCounter:Events").Get<EventOptions>() ?? new EventOptions();
    var (moved, path) = await OfflineOutbox.RedrivePoisonedAsync(events);
    Console.WriteLine($"{moved} poisoned event(s) moved back to pending in {path}.");
    return 0;
}

if (options.ExportCounts is { } export)
{
    // Reads the history on a read-only connection: works while a worker counts into the same file.
    var hgCounter = builder.Configuration.GetSection("HgCounter").Get<HgCounterOptions>() ?? new HgCounterOptions();
    try
    {
        var rows = await OfflineOutbox.QueryCountsAsync(hgCounter, export.Camera, export.From ?? DateTimeOffset.UnixEpoch, export.To ?? DateTimeOffset.UtcNow.AddDays(1), export.Bucket);
        await using var file = new StreamWriter(Path.GetFullPath(export.Path));
        await CountHistoryCsv.WriteAsync(file, rows);
        Console.WriteLine($"{rows.Count} row(s) written to {Path.GetFullPath(export.Path)}.");
        return 0;
    }
    catch (ArgumentException ex)
    {
        await Console.Error.WriteLineAsync(ex.Message);
        return 2;
    }
}

await using var demo = DemoCamera.IsNeeded(builder.Configuration) ? await DemoCamera.StartAsync(builder.Configuration) : null;
var interactive = !Console.IsOutputRedirected && Spectre.Console.AnsiConsole.Profile.Capabilities.Interactive;
builder.Logging.AddSimpleConsole(o => o.SingleLine = true).SetMinimumLevel(interactive ? LogLevel.Error : LogLevel.Information);
builder.Services.AddHgCounter(builder.Configuration)
    .AddPostgreSqlSink() // "Type": "postgres" sinks (HgCounter.Sinks.PostgreSql)
    .AddMqttSink(); // "Type": "mqtt" sinks (HgCounter.Sinks.Mqtt)
builder.Services.AddSingleton(options);
builder.Services.AddSingleton(sp => new SnapshotFiles(
    sp.GetRequiredService<ICounterAgent>(), [.. sp.GetRequiredService<IOptions<HgCounterOptions>>().Value.Cameras.Select(c => c.Name)]));
var snapshotOnce = options.Snapshot is { Camera: not null, Path: not null } once ? once : null;
if (snapshotOnce is null)
{
    builder.Services.AddHostedService(sp => new DashboardService(
        sp.GetRequiredService<ICounterAgent>(), sp.GetRequiredService<IHostApplicationLifetime>(), options, interactive, demo?.Description, sp.GetRequiredService<SnapshotFiles>(),
        sp.GetRequiredService<ICountHistory>(), sp.GetRequiredService<TimeProvider>()));
}

IHost host;
try
{
    host = builder.Build();
    await host.StartAsync();
}
catch (OptionsValidationException ex)
{
    await Console.Error.WriteLineAsync("Invalid configuration:");
    foreach (var failure in ex.Failures)
    {
        await Console.Error.WriteLineAsync("  " + failure);
    }

    return 2;
}

if (snapshotOnce is not null)
{
    // The camera connects and processes its first frame first: allow for a slow start (open timeout, detector load).
    using var snapshotDeadline = new CancellationTokenSource(SnapshotFiles.FirstFrameTimeout + TimeSpan.FromSeconds(10));
    var written = await host.Services.GetRequiredService<SnapshotFiles>().WriteOnceAsync(snapshotOnce.Camera!, snapshotOnce.Path!, SnapshotFiles.FirstFrameTimeout, snapshotDeadline.Token);
    await host.StopAsync();
    host.Dispose();
    return written;
}

await host.WaitForShutdownAsync();
var final = host.Services.GetRequiredService<ICounterAgent>().CurrentStatus;
var history = host.Services.GetRequiredService<ICountHistory>();
var clock = host.Services.GetRequiredService<TimeProvider>();
var hourly = await FinalReport.ReadTodayAsync(history, clock, CancellationToken.None); // read before the store closes
host.Dispose();
FinalReport.Print(final, hourly, history.TimeZone, clock.GetUtcNow());
if (options.SummaryPath is not null)
{
    await FinalReport.WriteSummaryAsync(options.SummaryPath, final);
}

return 0;
