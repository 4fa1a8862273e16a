namespace HgCounter.ConsoleSample;

/// <summary>The switches of <c>evaluate</c>: the ground truth, which camera, where the JSON report goes, how strict the pairing is, the rate to count at.</summary>
internal sealed record EvaluateArguments(string GroundTruthPath, string? Camera, string? OutputPath, int? ToleranceFrames, double? FramesPerSecond = null);
