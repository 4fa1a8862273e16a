using System.Globalization;
using BenchmarkDotNet.Reports;

namespace HgCounter.Benchmarks.Pipeline;

/// <summary>
/// Turns a <see cref="PipelineBenchmarks"/> summary into the figures of docs/performance.md: per-frame cost of the
/// whole ONNX path (ingest + detect/track/count + amortised event enqueue), the two limits, and the overhead ratio
/// (everything on top of decode + inference as a share of the frame's time).
/// </summary>
public static class PipelineReport
{
    public static void Print(IEnumerable<Summary> summaries, TextWriter output)
    {
        var reports = summaries.SelectMany(s => s.Reports)
            .Where(r => r.BenchmarkCase.Descriptor.Type == typeof(PipelineBenchmarks) && r.ResultStatistics is not null)
            .ToDictionary(r => r.BenchmarkCase.Descriptor.WorkloadMethod.Name, r => r);
        if (!reports.ContainsKey(nameof(PipelineBenchmarks.DecodeAlone)) || !reports.ContainsKey(nameof(PipelineBenchmarks.InferenceAlone))
            || !reports.ContainsKey(nameof(PipelineBenchmarks.Ingest)) || !reports.ContainsKey(nameof(PipelineBenchmarks.OnnxPipeline)))
        {
            return;
        }

        double Mean(string name) => reports.TryGetValue(name, out var r) ? r.ResultStatistics!.Mean / 1e6 : 0; // ms per frame
        var decode = Mean(nameof(PipelineBenchmarks.DecodeAlone));
        var inference = Mean(nameof(PipelineBenchmarks.InferenceAlone));
        var ingest = Mean(nameof(PipelineBenchmarks.Ingest));
        var pipeline = Mean(nameof(PipelineBenchmarks.OnnxPipeline));
        var enqueue = Mean(nameof(PipelineBenchmarks.EventEnqueue));
        var motion = Mean(nameof(PipelineBenchmarks.MotionPipeline));
        var frame = ingest + pipeline + enqueue;
        var limits = decode + inference;
        var c = CultureInfo.InvariantCulture;
        output.WriteLine();
        output.WriteLine("// * HgCounter whole-pipeline figures (ms per 720p frame, one thread) *");
        output.WriteLine(string.Create(c, $"limits: decode {decode:F3} + inference {inference:F3} = {limits:F3}"));
        output.WriteLine(string.Create(c, $"onnx frame: ingest {ingest:F3} + detect/track/count {pipeline:F3} + enqueue {enqueue:F4} = {frame:F3} ({1000 / frame:F1} fps per core)"));
        output.WriteLine(string.Create(c, $"onnx overhead over the limits: {(frame - limits) / frame:P1} of the frame (ratio frame/limits {frame / limits:F3})"));
        if (motion > 0)
        {
            var motionFrame = ingest + motion + enqueue;
            output.WriteLine(string.Create(c, $"motion frame: ingest {ingest:F3} + detect/track/count {motion:F3} + enqueue {enqueue:F4} = {motionFrame:F3} ({1000 / motionFrame:F1} fps per core); over decode alone: {(motionFrame - decode) / motionFrame:P1}"));
        }
    }
}
