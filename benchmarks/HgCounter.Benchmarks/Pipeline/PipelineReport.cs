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
        var motionDetect = Mean(nameof(PipelineBenchmarks.MotionDetect));
        var motion = Mean(nameof(PipelineBenchmarks.MotionPipeline));

        // What HgCounter adds on top of the two limits, stage by stage (each measured on its own, so the sum does not
        // carry the noise of the two large terms).
        var added = Math.Max(0, ingest - decode) + Mean(nameof(PipelineBenchmarks.Preprocess)) + Mean(nameof(PipelineBenchmarks.Postprocess))
            + Mean(nameof(PipelineBenchmarks.Tracking)) + Mean(nameof(PipelineBenchmarks.Counting)) + enqueue;
        var limits = decode + inference;
        var frame = ingest + pipeline + enqueue;
        var c = CultureInfo.InvariantCulture;
        output.WriteLine();
        output.WriteLine("// * HgCounter whole-pipeline figures (ms per 720p frame, one thread) *");
        output.WriteLine(string.Create(c, $"limits: decode {decode:F3} + inference {inference:F3} = {limits:F3}"));
        output.WriteLine(string.Create(c, $"onnx, stage sum: HgCounter adds {added:F3} (ingest over decode, letterbox, decode+NMS, tracking, counting, enqueue) = {added / (limits + added):P1} of a {limits + added:F3} ms frame ({1000 / (limits + added):F1} fps per core)"));
        output.WriteLine(string.Create(c, $"onnx, measured whole: ingest {ingest:F3} + CountingPipeline.Process {pipeline:F3} + enqueue {enqueue:F4} = {frame:F3}; over the limits {(frame - limits) / frame:P1} (frame/limits {frame / limits:F3})"));
        if (motion > 0)
        {
            var motionFrame = ingest + motion + enqueue;
            var motionAdded = Math.Max(0, ingest - decode) + Mean(nameof(PipelineBenchmarks.Tracking)) + Mean(nameof(PipelineBenchmarks.Counting)) + enqueue;
            output.WriteLine(string.Create(c, $"motion: decode {decode:F3} + MOG2 {motionDetect:F3}, HgCounter adds {motionAdded:F3} = {motionAdded / (decode + motionDetect + motionAdded):P1}; measured whole {motionFrame:F3} ({1000 / motionFrame:F1} fps per core)"));
        }
    }
}
