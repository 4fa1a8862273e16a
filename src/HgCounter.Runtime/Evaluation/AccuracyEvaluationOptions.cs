namespace HgCounter.Runtime.Evaluation;

/// <summary>What <see cref="AccuracyEvaluator.EvaluateAsync"/> evaluates and how strictly crossings are paired.</summary>
public sealed class AccuracyEvaluationOptions
{
    /// <summary>The configured camera to evaluate; null takes the only one (an error when several are configured).</summary>
    public string? Camera { get; set; }

    /// <summary>Names of the camera's lines to report; empty reports every line.</summary>
    public IList<string> Lines { get; } = [];

    /// <summary>
    /// Counts the recording as a camera delivering this many frames a second would be counted: frames are taken at this
    /// rate, evenly in time, and the rest are never decoded into the pipeline (as a camera's decoder or the resource
    /// guard would drop them), so 10 fps footage can be scored at 3 fps. Null, or a rate at or above the recording's,
    /// counts every frame. Frames in the report stay the recording's frame numbers.
    /// </summary>
    public double? FramesPerSecond { get; set; }

    /// <summary>Frames a counted crossing may be from a true one and still match; null: one second of the recording's frames.</summary>
    public int? FrameTolerance { get; set; }
}
