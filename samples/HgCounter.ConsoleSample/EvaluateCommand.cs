using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using HgCounter.Counting;
using HgCounter.Frames;
using HgCounter.Runtime.Evaluation;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace HgCounter.ConsoleSample;

/// <summary>
/// <c>evaluate</c>: plays the configured camera's recording once through the real pipeline, scores it against a
/// MOTChallenge <c>gt.txt</c>, prints a table and optionally writes the JSON report. Exit code 0 when it ran (accuracy is
/// reported, not judged), 2 on bad input with the reason on stderr.
/// </summary>
internal static class EvaluateCommand
{
    private static readonly JsonSerializerOptions Json = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        WriteIndented = true,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.CamelCase) },
    };

    public static async Task<int> RunAsync(HostApplicationBuilder builder, EvaluateArguments arguments)
    {
        builder.Services.AddHgCounter(builder.Configuration).AddPostgreSqlSink().AddMqttSink();
        using var host = builder.Build();
        AccuracyReport report;
        try
        {
            var truth = MotGroundTruth.Load(arguments.GroundTruthPath);
            var evaluation = new AccuracyEvaluationOptions { Camera = arguments.Camera, FrameTolerance = arguments.ToleranceFrames, FramesPerSecond = arguments.FramesPerSecond };
            using var stop = new CancellationTokenSource();
            Console.CancelKeyPress += (_, e) =>
            {
                e.Cancel = true;
                stop.Cancel();
            };
            report = await host.Services.GetRequiredService<AccuracyEvaluator>().EvaluateAsync(truth, evaluation, stop.Token);
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
        catch (Exception ex) when (ex is GroundTruthFormatException or FileNotFoundException or KeyNotFoundException or ArgumentException or FrameSourceException)
        {
            await Console.Error.WriteLineAsync("evaluate: " + ex.Message);
            return 2;
        }

        Print(report);
        if (arguments.OutputPath is { } output)
        {
            var full = Path.GetFullPath(output);
            await File.WriteAllTextAsync(full, JsonSerializer.Serialize(report, Json));
            Console.WriteLine($"Report written to {full}");
        }

        return 0;
    }

    private static void Print(AccuracyReport report)
    {
        var c = CultureInfo.InvariantCulture;
        var rate = Math.Abs(report.CountedFramesPerSecond - report.FramesPerSecond) < 1e-6
            ? string.Create(c, $"{report.FramesPerSecond:0.##} fps")
            : string.Create(c, $"{report.CountedFramesPerSecond:0.##} fps (recorded at {report.FramesPerSecond:0.##} fps)");
        Console.WriteLine(string.Create(c, $"Camera {report.Camera}: {report.Video}, {report.FramesProcessed} frames at {rate}, crossings matched within ±{report.FrameTolerance} frames of the recording"));
        Console.WriteLine(string.Create(c, $"{"line",-16} {"dir",-4} {"truth",6} {"counted",8} {"error",6} {"rel.",7} {"matched",8} {"missed",7} {"extra",6}"));
        foreach (var line in report.Lines)
        {
            Row(line, "in", line.Truth.In, line.Counted.In, line.Error.In, line.RelativeError.In, CrossingDirection.In);
            Row(line, "out", line.Truth.Out, line.Counted.Out, line.Error.Out, line.RelativeError.Out, CrossingDirection.Out);
        }

        foreach (var line in report.Lines)
        {
            foreach (var m in line.Missed)
            {
                Console.WriteLine(string.Create(c, $"  missed {line.Line} {m.Direction.ToString().ToLowerInvariant()}: truth object {m.Id} at frame {m.Frame}"));
            }

            foreach (var e in line.Extra)
            {
                Console.WriteLine(string.Create(c, $"  extra  {line.Line} {e.Direction.ToString().ToLowerInvariant()}: track {e.Id} at frame {e.Frame}"));
            }
        }

        void Row(LineAccuracy line, string dir, long truth, long counted, long error, double? relative, CrossingDirection direction)
        {
            var matched = line.Matched.Count(m => m.Direction == direction);
            var missed = line.Missed.Count(m => m.Direction == direction);
            var extra = line.Extra.Count(m => m.Direction == direction);
            var rel = relative is { } r ? r.ToString("P0", c) : "-";
            Console.WriteLine(string.Create(c, $"{line.Line,-16} {dir,-4} {truth,6} {counted,8} {error,6} {rel,7} {matched,8} {missed,7} {extra,6}"));
        }
    }
}
