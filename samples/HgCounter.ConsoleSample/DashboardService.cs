using HgCounter.Runtime;
using Microsoft.Extensions.Hosting;
using Spectre.Console;

namespace HgCounter.ConsoleSample;

/// <summary>Shows the agent's status live (or as log lines when output is not a terminal) and ends the run when asked.</summary>
internal sealed class DashboardService(
    ICounterAgent agent, IHostApplicationLifetime lifetime, SampleArguments arguments, bool interactive, string? demoDescription, SnapshotFiles snapshots,
    ICountHistory history, TimeProvider time) : BackgroundService
{
    private static readonly TimeSpan DeliveryWait = TimeSpan.FromSeconds(30);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var started = DateTimeOffset.UtcNow;
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
        if (arguments.RunFor is { } runFor)
        {
            stop.CancelAfter(runFor);
        }

        _ = agent.Completion.ContinueWith(_ => stop.Cancel(), TaskScheduler.Default);
        var writing = arguments.Snapshot is { Every: { } every } shots
            ? snapshots.RunAsync(every, shots.Directory, TimeProvider.System, stop.Token)
            : Task.CompletedTask;
        if (demoDescription is not null)
        {
            Console.WriteLine(demoDescription);
        }

        try
        {
            if (interactive)
            {
                IReadOnlyList<CountChartRow> chart = [];
                var chartRead = DateTimeOffset.MinValue;
                await AnsiConsole.Live(ConsoleDashboard.Render(agent.CurrentStatus, TimeSpan.Zero, snapshots.Last)).AutoClear(false).StartAsync(async context =>
                {
                    await foreach (var status in agent.WatchAsync(stop.Token))
                    {
                        if (time.GetUtcNow() - chartRead >= ConsoleCountChart.RefreshInterval)
                        {
                            chartRead = time.GetUtcNow();
                            chart = await FinalReport.ReadTodayAsync(history, time, stop.Token) ?? chart;
                        }

                        context.UpdateTarget(ConsoleDashboard.Render(
                            status, DateTimeOffset.UtcNow - started, snapshots.Last, CountChartPanel.Render(chart, history.TimeZone, status)));
                    }
                });
            }
            else
            {
                var lastPrinted = DateTimeOffset.MinValue;
                await foreach (var status in agent.WatchAsync(stop.Token))
                {
                    if (status.Timestamp - lastPrinted >= TimeSpan.FromSeconds(5))
                    {
                        lastPrinted = status.Timestamp;
                        foreach (var line in ConsoleDashboard.RenderPlain(status))
                        {
                            Console.WriteLine(line);
                        }

                        if (snapshots.Last is { } last)
                        {
                            Console.WriteLine("last snapshot: " + last);
                        }
                    }
                }
            }
        }
        catch (OperationCanceledException)
        {
        }

        await writing;
        if (!stoppingToken.IsCancellationRequested)
        {
            if (agent.Completion.IsCompleted && !await agent.WaitForDeliveryAsync(DeliveryWait, stoppingToken))
            {
                Console.WriteLine($"{agent.CurrentStatus.PendingEvents} event(s) not yet confirmed by the sinks stay in the outbox; the next run delivers them.");
            }

            lifetime.StopApplication(); // --run-for elapsed or every camera finished (and its events were delivered)
        }
    }
}
