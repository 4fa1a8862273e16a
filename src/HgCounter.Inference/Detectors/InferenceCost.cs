namespace HgCounter.Inference.Detectors;

/// <summary>
/// What one inference of a model costs on this machine, measured when the model loaded: the median of a few timed runs
/// after an untimed warm-up, on an empty (grey) input. Real frames cost about the same: a YOLO network does the same work
/// whatever the picture; only decoding and NMS, outside this figure, grow with the number of boxes.
/// </summary>
/// <param name="MillisecondsPerInference">Median wall-clock time of one inference.</param>
/// <param name="MeasuredAt">When it was measured.</param>
/// <param name="Provider">The execution provider the session runs on.</param>
/// <param name="IntraOpThreads">Intra-op threads of the session (0: ONNX Runtime chose).</param>
/// <param name="Runs">Timed runs the median is taken over.</param>
public sealed record InferenceCost(double MillisecondsPerInference, DateTimeOffset MeasuredAt, OnnxExecutionProvider Provider, int IntraOpThreads, int Runs)
{
    /// <summary>
    /// Inferences per second the model can sustain with <paramref name="concurrentRuns"/> inferences running at once
    /// (one session's <c>Run</c> calls from that many threads): <c>1000 / ms × concurrentRuns</c>.
    /// </summary>
    public double SustainableRate(int concurrentRuns = 1)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(concurrentRuns, 1);
        return 1000.0 / MillisecondsPerInference * concurrentRuns;
    }
}
