using System.Data.Common;
using System.Text.Json;
using HgCounter.Runtime;
using HgCounter.Status;

namespace HgCounter.ConsoleSample;

/// <summary>What the sample prints and writes when it stops.</summary>
internal static class FinalReport
{
    private static readonly JsonSerializerOptions Json = new() { PropertyNamingPolicy = JsonNamingPolicy.CamelCase, WriteIndented = true };

    private static readonly TimeSpan HistoryReadTimeout = TimeSpan.FromSeconds(10);

    /// <summary>Yesterday's and today's chart rows, or null when the history could not be read in time (the caller keeps what it had).</summary>
    public static async Task<IReadOnlyList<CountChartRow>?> ReadTodayAsync(ICountHistory history, TimeProvider time, CancellationToken cancellationToken)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(HistoryReadTimeout);
        try
        {
            return await ConsoleCountChart.LoadAsync(history, time.GetUtcNow(), deadline.Token);
        }
        catch (Exception ex) when (ex is DbException or InvalidOperationException or ObjectDisposedException
            || (ex is OperationCanceledException && !cancellationToken.IsCancellationRequested))
        {
            return null; // a busy or closed store: the chart shows what it read last, the counts are not lost
        }
    }

    public static void Print(StatusSnapshot status, IReadOnlyList<CountChartRow>? hourly, TimeZoneInfo zone, DateTimeOffset now)
    {
        Console.WriteLine("Final counts:");
        foreach (var camera in status.Cameras)
        {
            Console.WriteLine($"  {camera.Name} ({camera.Health.Health}, {camera.FramesProcessed} frames processed, {camera.FramesDropped} dropped, {camera.Reconnects} reconnects)");
            foreach (var line in camera.Lines)
            {
                Console.WriteLine($"    {line.Line}: in {line.In}, out {line.Out}");
            }
        }

        if (hourly is null)
        {
            Console.WriteLine("Today's counts per hour: the count history could not be read.");
            return;
        }

        var today = ConsoleCountChart.Days(now, zone).Today;
        Console.WriteLine($"Today's counts per hour ({zone.Id}, {TimeZoneInfo.ConvertTime(today, zone):yyyy-MM-dd}):");
        foreach (var line in ConsoleCountChart.PlainToday(hourly, zone).DefaultIfEmpty("none counted yet"))
        {
            Console.WriteLine("  " + line);
        }
    }

    /// <summary>Writes <c>{"cameras":[{"name","health","framesProcessed","framesDropped","reconnects","lines":[{"name","in","out"}]}]}</c>.</summary>
    public static async Task WriteSummaryAsync(string path, StatusSnapshot status)
    {
        var summary = new
        {
            cameras = status.Cameras.Select(c => new
            {
                name = c.Name,
                health = c.Health.Health.ToString(),
                framesProcessed = c.FramesProcessed,
                framesDropped = c.FramesDropped,
                reconnects = c.Reconnects,
                lines = c.Lines.Select(l => new { name = l.Line, @in = l.In, @out = l.Out }),
            }),
        };
        var full = Path.GetFullPath(path);
        Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        await File.WriteAllTextAsync(full, JsonSerializer.Serialize(summary, Json));
    }
}
