namespace HgCounter.Runtime.Evaluation;

/// <summary>The result of <see cref="AccuracyEvaluator.EvaluateAsync"/>: one entry per line and the run it came from.</summary>
/// <param name="Camera">The camera evaluated.</param>
/// <param name="Video">The recording played (credentials redacted).</param>
/// <param name="FramesProcessed">Frames the pipeline counted.</param>
/// <param name="FramesPerSecond">The recording's frame rate.</param>
/// <param name="FrameTolerance">How many frames apart a counted and a true crossing may be and still match.</param>
/// <param name="Lines">Accuracy per line, in configuration order.</param>
public sealed record AccuracyReport(
    string Camera,
    string Video,
    long FramesProcessed,
    double FramesPerSecond,
    int FrameTolerance,
    IReadOnlyList<LineAccuracy> Lines);
