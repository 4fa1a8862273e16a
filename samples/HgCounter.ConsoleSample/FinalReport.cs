using System.Text.Json;
using HgCounter.Status;

namespace HgCounter.ConsoleSample;

/// <summary>What the sample prints and writes when it stops.</summary>
internal static class FinalReport
{
    private static readonly JsonSerializerOptions Json = new() { PropertyNamingPolicy = JsonNamingPolicy.CamelCase, WriteIndented = true };

    public static void Print(StatusSnapshot status)
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
