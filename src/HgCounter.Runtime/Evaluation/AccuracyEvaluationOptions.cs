namespace HgCounter.Runtime.Evaluation;

/// <summary>What <see cref="AccuracyEvaluator.EvaluateAsync"/> evaluates and how strictly crossings are paired.</summary>
public sealed class AccuracyEvaluationOptions
{
    /// <summary>The configured camera to evaluate; null takes the only one (an error when several are configured).</summary>
    public string? Camera { get; set; }

    /// <summary>Names of the camera's lines to report; empty reports every line.</summary>
    public IList<string> Lines { get; } = [];

    /// <summary>Frames a counted crossing may be from a true one and still match; null: one second of the recording's frames.</summary>
    public int? FrameTolerance { get; set; }
}
