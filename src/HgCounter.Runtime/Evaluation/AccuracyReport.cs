namespace HgCounter.Runtime.Evaluation;

/// <summary>The result of <see cref="AccuracyEvaluator.EvaluateAsync"/>: one entry per line and the run it came from.</summary>
/// <param name="Camera">The camera evaluated.</param>
/// <param name="Video">The recording played (credentials redacted).</param>
/// <param name="FramesProcessed">Frames the pipeline counted (fewer than the recording has at a lower <see cref="CountedFramesPerSecond"/>).</param>
/// <param name="FramesPerSecond">The recording's frame rate.</param>
/// <param name="CountedFramesPerSecond">The rate the pipeline was given frames at (<see cref="AccuracyEvaluationOptions.FramesPerSecond"/>, or the recording's).</param>
/// <param name="FrameTolerance">How many frames apart a counted and a true crossing may be and still match.</param>
/// <param name="Lines">Accuracy per line, in configuration order.</param>
public sealed record AccuracyReport(
    string Camera,
    string Video,
    long FramesProcessed,
    double FramesPerSecond,
    double CountedFramesPerSecond,
    int FrameTolerance,
    IReadOnlyList<LineAccuracy> Lines);
