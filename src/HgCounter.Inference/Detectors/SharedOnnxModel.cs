using System.Diagnostics.Metrics;
using HgCounter.Configuration;
using HgCounter.Detection;
using HgCounter.Inference.Scheduling;

namespace HgCounter.Inference.Detectors;

/// <summary>
/// One model of the <c>onnx</c> detector (its own <c>ModelPath</c>, or a named one): the model and its inference session,
/// loaded on first use, and the one scheduler that runs it for every camera that uses it. A failed load is not kept, so
/// the next camera start tries again.
/// </summary>
internal sealed class SharedOnnxModel : IDisposable
{
    private readonly OnnxDetectorOptions _detector;
    private readonly int _workers;
    private readonly TimeProvider _time;
    private readonly IMeterFactory? _meterFactory;
    private readonly Lock _gate = new();
    private OnnxYoloModel? _model;
    private InferenceScheduler? _scheduler;
    private int _loads;
    private bool _disposed;

    /// <param name="name">The model's name under <c>Models</c>; null for the detector's own model.</param>
    /// <param name="pathKey">The configuration key of the model path, for the message when it is not set.</param>
    /// <param name="modelPath">The <c>.onnx</c> file.</param>
    /// <param name="classes">Classes the model keeps unless a camera says otherwise; empty keeps all.</param>
    /// <param name="confidence">Minimum confidence unless a camera says otherwise.</param>
    /// <param name="nmsThreshold">Non-maximum suppression IoU.</param>
    /// <param name="detector">Settings shared by every model of the detector (threads, provider, gating, …).</param>
    /// <param name="workers">Concurrent model runs.</param>
    /// <param name="time">The clock.</param>
    /// <param name="meterFactory">The host's meters, if any.</param>
    public SharedOnnxModel(string? name, string pathKey, string? modelPath, IReadOnlyList<string> classes, float confidence, float nmsThreshold,
        OnnxDetectorOptions detector, int workers, TimeProvider time, IMeterFactory? meterFactory)
    {
        Name = name;
        PathKey = pathKey;
        ModelPath = modelPath;
        Classes = classes;
        Confidence = confidence;
        NmsThreshold = nmsThreshold;
        _detector = detector;
        _workers = workers;
        _time = time;
        _meterFactory = meterFactory;
    }

    public string? Name { get; }

    public string PathKey { get; }

    public string? ModelPath { get; }

    public IReadOnlyList<string> Classes { get; }

    public float Confidence { get; }

    public float NmsThreshold { get; }

    /// <summary>Times the model file was loaded into a session (1 once it is in use, however many cameras use it).</summary>
    public int Loads => Volatile.Read(ref _loads);

    /// <summary>Model runs so far (0 before the model is loaded).</summary>
    public long InferenceRuns => Volatile.Read(ref _scheduler)?.RunCount ?? 0;

    /// <exception cref="ModelLoadException">The model path is not set, or the file cannot be used.</exception>
    /// <exception cref="ExecutionProviderUnavailableException">The configured execution provider cannot be used.</exception>
    /// <exception cref="ArgumentException">The configured execution provider is not a known name.</exception>
    public OnnxYoloModel GetModel()
    {
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            if (_model is null)
            {
                if (string.IsNullOrWhiteSpace(ModelPath))
                {
                    throw new ModelLoadException(string.Empty, $"No model path: set {PathKey} to a YOLOv5/YOLOv8/YOLO11 .onnx export.");
                }

                // Spinning off: cameras share the CPU, and spinning threads would steal it from each other.
                _model = OnnxYoloModel.Load(ModelPath, _detector.IntraOpThreads, allowSpinning: false,
                    OnnxExecutionProviders.Parse(_detector.ExecutionProvider), _detector.DeviceId, _time, _detector.OpenVinoDevice);
                _loads++;
            }

            return _model;
        }
    }

    /// <exception cref="ModelLoadException">The model cannot be loaded, or one of its classes is not in it.</exception>
    public InferenceScheduler GetScheduler()
    {
        var model = GetModel();
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            if (_scheduler is null)
            {
                var allowed = OnnxYoloDetector.ResolveClasses(model, Classes);
                _scheduler = new InferenceScheduler(model,
                    () => new YoloOutputDecoder(model.Layout, model.ClassNames, model.CandidateCount, allowed, Confidence, NmsThreshold),
                    _workers, _time, _meterFactory, _detector.PackingWait);
            }

            return _scheduler;
        }
    }

    /// <summary>A camera's detector on this model, keeping <paramref name="classes"/> (empty: the model's) above <paramref name="confidence"/> (null: the model's).</summary>
    /// <exception cref="ModelLoadException">The model cannot be loaded, or a class is not in it.</exception>
    public IDetector CreateDetector(IEnumerable<string>? classes, float? confidence)
    {
        var model = GetModel();
        var ids = OnnxYoloDetector.ResolveClasses(model, classes?.Any() == true ? classes : Classes);
        var minimum = confidence ?? Confidence;
        var scheduler = GetScheduler();
        scheduler.Widen(ids, minimum); // before the camera's lane exists, so none of its frames is decoded narrower
        return new GatedYoloDetector(scheduler, _detector.Gating, _detector.MaxFramesInFlight, (float)_detector.DetectionScale,
            new DetectionFilter(model.ClassNames.Count, ids, minimum));
    }

    /// <summary>Stops the scheduler and disposes the model and its session.</summary>
    public void Dispose()
    {
        lock (_gate)
        {
            _disposed = true;
            _scheduler?.Dispose();
            _scheduler = null;
            _model?.Dispose();
            _model = null;
        }
    }
}
