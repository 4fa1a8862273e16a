using System.Globalization;
using HgCounter.Health;
using HgCounter.Status;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Spectre.Console;
using Spectre.Console.Rendering;

namespace HgCounter.ConsoleSample;

/// <summary>Renders a status snapshot as Spectre.Console widgets (live table) or as plain log lines.</summary>
internal static class ConsoleDashboard
{
    public static IRenderable Render(StatusSnapshot status, TimeSpan elapsed, string? lastSnapshot = null, IRenderable? chart = null)
    {
        var cameras = new Table().Border(TableBorder.Rounded).Expand()
            .Title($"[bold]HgCounter[/] · worker [aqua]{Markup.Escape(status.WorkerId)}[/] · running {elapsed:hh\\:mm\\:ss}")
            .AddColumns("Camera", "Status", "FPS", "Processed", "Dropped", "Reconnects", "Lines (in / out)", "Zones (inside)", "Last error");
        foreach (var camera in status.Cameras)
        {
            var lines = camera.Lines.Count == 0
                ? "[grey]no lines[/]"
                : string.Join("\n", camera.Lines.Select(l => $"{Markup.Escape(l.Line)}: [green]{l.In}[/] in / [yellow]{l.Out}[/] out"));
            cameras.AddRow(
                new Markup($"[bold]{Markup.Escape(camera.Name)}[/]\n[grey]{Markup.Escape(camera.Health.Source ?? string.Empty)}[/]"),
                new Markup(HealthMarkup(camera.Health.Health)),
                new Markup(camera.Fps.ToString("0.0", CultureInfo.InvariantCulture)),
                new Markup(camera.FramesProcessed.ToString(CultureInfo.InvariantCulture)),
                new Markup(camera.FramesDropped.ToString(CultureInfo.InvariantCulture)),
                new Markup(camera.Reconnects.ToString(CultureInfo.InvariantCulture)),
                new Markup(lines),
                new Markup(ZonesMarkup(camera)),
                new Markup($"[grey]{Markup.Escape(camera.Health.LastError ?? "-")}[/]"));
        }

        var resources = new Table().Border(TableBorder.Rounded).AddColumns("CPU", "Memory", "Outbox", "Throttling");
        if (status.Resources is { } r)
        {
            resources.AddRow(
                $"{r.CpuPercent:0.0} %",
                $"{r.MemoryPercent:0.0} % ({r.MemoryMegabytes:0} MiB)",
                status.PendingEvents.ToString(CultureInfo.InvariantCulture),
                r.IsThrottling ? $"[red]yes[/]: {Markup.Escape(r.ThrottleReason ?? string.Empty)}" : "[green]no[/]");
        }

        var health = new Table().Border(TableBorder.Rounded).AddColumns("Health check", "Status", "Detail");
        if (status.Health is { } h)
        {
            foreach (var check in h.Checks)
            {
                health.AddRow(Markup.Escape(check.Name), StatusMarkup(check.Status), Markup.Escape(check.Message));
            }
        }
        else
        {
            health.AddRow("-", "[grey]pending[/]", "first run in progress");
        }

        var footer = lastSnapshot is null
            ? "[grey]Ctrl+C stops and prints the final counts.[/]"
            : $"[grey]Last snapshot: {Markup.Escape(lastSnapshot)} · Ctrl+C stops and prints the final counts.[/]";
        return new Rows(chart is null ? [cameras, new Columns(resources, health), new Markup(footer)] : [cameras, chart, new Columns(resources, health), new Markup(footer)]);
    }

    /// <summary>One plain line per camera for logs and pipes.</summary>
    public static IEnumerable<string> RenderPlain(StatusSnapshot status)
    {
        foreach (var camera in status.Cameras)
        {
            var lines = string.Join(" ", camera.Lines.Select(l => $"{l.Line}:in={l.In},out={l.Out}"));
            var zones = string.Concat(camera.Zones.Select(z => $" {z.Zone}:inside={z.Count}"));
            yield return string.Create(
                CultureInfo.InvariantCulture,
                $"{status.Timestamp:HH:mm:ss} camera={camera.Name} health={camera.Health.Health} fps={camera.Fps:0.0} processed={camera.FramesProcessed} dropped={camera.FramesDropped} reconnects={camera.Reconnects} {lines}{zones}{(camera.Health.LastError is { } e ? " error=\"" + e + "\"" : string.Empty)}");
        }
    }

    // "queue: 2 (person 2)": who is inside each zone now, by class when any class is inside.
    private static string ZonesMarkup(CameraStatus camera) =>
        camera.Zones.Count == 0
            ? "[grey]no zones[/]"
            : string.Join("\n", camera.Zones.Select(z =>
            {
                var byClass = string.Join(", ", z.ByClass.Where(c => c.Value > 0).Select(c => $"{Markup.Escape(c.Key)} {c.Value}"));
                return string.Create(CultureInfo.InvariantCulture, $"{Markup.Escape(z.Zone)}: [aqua]{z.Count}[/]{(byClass.Length > 0 ? $" [grey]({byClass})[/]" : string.Empty)}");
            }));

    private static string HealthMarkup(CameraHealth health) => health switch
    {
        CameraHealth.Healthy => "[green]● healthy[/]",
        CameraHealth.Degraded => "[yellow]● degraded[/]",
        CameraHealth.Reconnecting => "[orange1]↻ reconnecting[/]",
        CameraHealth.Offline => "[red]● offline[/]",
        CameraHealth.Finished => "[blue]■ finished[/]",
        _ => "[grey]… starting[/]",
    };

    private static string StatusMarkup(HealthStatus status) => status switch
    {
        HealthStatus.Healthy => "[green]ok[/]",
        HealthStatus.Degraded => "[yellow]warning[/]",
        _ => "[red]error[/]",
    };
}
