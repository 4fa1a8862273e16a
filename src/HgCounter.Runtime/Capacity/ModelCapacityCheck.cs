using HgCounter.Configuration;
using HgCounter.Detection;
using HgCounter.Inference.Detectors;
using HgCounter.Reliability.Metrics;
using HgCounter.Status;
using Microsoft.Extensions.Logging;

namespace HgCounter.Runtime.Capacity;

/// <summary>
/// At start, loads every ONNX model the cameras use (unless a camera already did), logs what one inference costs, and
/// compares what the model sustains with what its cameras ask for: when the demand is higher, a warning says so in the
/// first minute, with what to change. The figures go to the status snapshot and to the <c>hgcounter.detector.*</c> gauges.
/// </summary>
internal sealed partial class ModelCapacityCheck
{
    private readonly IReadOnlyDictionary<string, IDetectorFactory> _detectors;
    private readonly HgCounterOptions _options;
    private readonly ILogger _logger;
    private readonly HgCounterMetrics? _metrics;
    private ModelStatus[] _models = [];

    /// <summary>Creates the check.</summary>
    /// <param name="detectors">Detector factories by name.</param>
    /// <param name="options">The cameras and their rates.</param>
    /// <param name="logger">Where the cost and the warning go.</param>
    /// <param name="metrics">The gauges, when metrics are on.</param>
    public ModelCapacityCheck(IReadOnlyDictionary<string, IDetectorFactory> detectors, HgCounterOptions options, ILogger logger, HgCounterMetrics? metrics = null)
    {
        _detectors = detectors;
        _options = options;
        _logger = logger;
        _metrics = metrics;
    }

    /// <summary>The models checked so far.</summary>
    public IReadOnlyList<ModelStatus> Models => Volatile.Read(ref _models);

    /// <summary>
    /// Checks each model in turn. Never throws: a model that cannot load is left to the camera loops, which report it in
    /// their health and retry.
    /// </summary>
    public void Run(CancellationToken cancellationToken)
    {
        // One entry per model: the onnx detector's own, and each named model a camera chooses.
        foreach (var cameras in _options.Cameras.GroupBy(c => (Detector: c.Detector.ToUpperInvariant(), Model: c.Model?.ToUpperInvariant())))
        {
            if (cancellationToken.IsCancellationRequested)
            {
                return;
            }

            var first = cameras.First();
            if (!_detectors.TryGetValue(first.Detector, out var factory) || factory is not OnnxDetectorFactory onnx)
            {
                continue;
            }

            OnnxYoloModel model;
            try
            {
                model = onnx.GetModel(first.Model);
            }
            catch (Exception ex) when (ex is ModelLoadException or ExecutionProviderUnavailableException or ArgumentException or ObjectDisposedException)
            {
                LogNotLoaded(factory.Name, ex.Message);
                continue;
            }

            // The scheduler runs the model on InferenceWorkers threads at once.
            Add(Evaluate(factory.Name, Path.GetFileName(model.ModelPath), model.InferenceCost, onnx.InferenceWorkers, [.. cameras]) with { Name = first.Model });
        }
    }

    /// <summary>The model's figures, with <paramref name="concurrentRuns"/> runs at once, against the demand of <paramref name="cameras"/>.</summary>
    internal ModelStatus Evaluate(string detector, string model, InferenceCost cost, int concurrentRuns, IReadOnlyList<CameraOptions> cameras)
    {
        // A camera never processes more than ResourceGuard:MaxFps, whatever its TargetFps.
        var demand = cameras.Sum(c => Math.Min(c.TargetFps, _options.ResourceGuard.MaxFps));
        return new ModelStatus(detector, model, OnnxExecutionProviders.GetName(cost.Provider), cost.IntraOpThreads, cost.MillisecondsPerInference,
            concurrentRuns, cost.SustainableRate(concurrentRuns), cameras.Count, demand, cost.MeasuredAt)
        {
            CameraNames = [.. cameras.Select(c => c.Name)],
        };
    }

    private void Add(ModelStatus status)
    {
        Volatile.Write(ref _models, [.. _models, status]);
        _metrics?.RecordModelCost(status.Detector, status.Model, status.Provider, status.MillisecondsPerInference, status.SustainableInferencesPerSecond, status.DemandFps);
        LogCost(status.Model, status.Detector, status.Provider, status.IntraOpThreads, status.MillisecondsPerInference,
            status.ConcurrentRuns, status.SustainableInferencesPerSecond, status.Cameras, status.DemandFps);
        if (status.Overloaded)
        {
            LogOverloaded(status.Model, status.MillisecondsPerInference, status.Provider, status.ConcurrentRuns, status.SustainableInferencesPerSecond,
                status.Cameras, status.DemandFps);
        }
    }

    [LoggerMessage(Level = LogLevel.Information,
        Message = "Model {Model} (detector {Detector}, {Provider}, {Threads} intra-op thread(s)): {Milliseconds:F1} ms per inference; "
            + "with {Runs} run(s) at once it sustains {Sustainable:F1} inferences/s; {Cameras} camera(s) ask for up to {Demand:F1} fps.")]
    private partial void LogCost(string model, string detector, string provider, int threads, double milliseconds, int runs, double sustainable, int cameras, double demand);

    [LoggerMessage(Level = LogLevel.Warning,
        Message = "Model {Model} cannot keep up: at {Milliseconds:F1} ms per inference on {Provider}, {Runs} run(s) at once, it sustains "
            + "{Sustainable:F1} inferences/s, but its {Cameras} camera(s) ask for up to {Demand:F1} fps; whenever motion makes every frame need "
            + "the model, frames beyond that rate are skipped or delayed. "
            + "Use fewer cameras on this machine, a lower TargetFps, HgCounter:Detectors:Onnx:DetectionScale below 1 (several frames share "
            + "one run; check the counts), a faster export (smaller imgsz, another quantisation) "
            + "or a GPU execution provider (HgCounter:Detectors:Onnx:ExecutionProvider, see docs/detectors.md).")]
    private partial void LogOverloaded(string model, double milliseconds, string provider, int runs, double sustainable, int cameras, double demand);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Cost of the {Detector} model not measured: {Reason}")]
    private partial void LogNotLoaded(string detector, string reason);
}
