namespace HgCounter.Status;

/// <summary>
/// A detection model's cost on this machine against what the cameras using it ask for. <see cref="DemandFps"/> above
/// <see cref="SustainableInferencesPerSecond"/> means the model cannot keep up when every frame needs a full-frame run;
/// motion gating and packed crops lower the runs needed, so it is the worst case.
/// </summary>
/// <param name="Detector">Detector name the cameras use (<c>onnx</c>).</param>
/// <param name="Model">The model's file name (no directory).</param>
/// <param name="Provider">Execution provider (<c>cpu</c>, <c>cuda</c>, …).</param>
/// <param name="IntraOpThreads">Intra-op threads of the session (0: ONNX Runtime chose).</param>
/// <param name="MillisecondsPerInference">Median time of one inference, measured at load.</param>
/// <param name="ConcurrentRuns">Model runs that may happen at once (the inference workers of its scheduler).</param>
/// <param name="SustainableInferencesPerSecond">Inferences per second the model sustains: <c>1000 / ms × ConcurrentRuns</c>.</param>
/// <param name="Cameras">Cameras using the model.</param>
/// <param name="DemandFps">Sum of those cameras' frame rates (<c>TargetFps</c>, capped by <c>ResourceGuard:MaxFps</c>).</param>
/// <param name="MeasuredAt">When the cost was measured.</param>
public sealed record ModelStatus(
    string Detector,
    string Model,
    string Provider,
    int IntraOpThreads,
    double MillisecondsPerInference,
    int ConcurrentRuns,
    double SustainableInferencesPerSecond,
    int Cameras,
    double DemandFps,
    DateTimeOffset MeasuredAt)
{
    /// <summary>The model's name under <c>HgCounter:Detectors:Onnx:Models</c>; null for the detector's own <c>ModelPath</c>.</summary>
    public string? Name { get; init; }

    /// <summary>Names of the cameras using the model (all share its one session), in configuration order.</summary>
    public IReadOnlyList<string> CameraNames { get; init; } = [];

    /// <summary>True when the cameras ask for more inferences per second than the model sustains.</summary>
    public bool Overloaded => DemandFps > SustainableInferencesPerSecond;
}
