using System.Diagnostics.Metrics;
using HgCounter.Configuration;
using HgCounter.Detection;
using HgCounter.Inference.Scheduling;

namespace HgCounter.Inference.Detectors;

/// <summary>
/// The <c>onnx</c> detector: owns the one <see cref="OnnxYoloModel"/> (and its inference session) shared by every camera,
/// loaded on the first <see cref="Create"/>, and the one scheduler that runs it for all of them (crops of several cameras
/// packed into one run, cameras served in turn). Each camera gets its own motion-gated detector with its own buffers.
/// Dispose the factory after the detectors it created.
/// </summary>
public sealed class OnnxDetectorFactory : IDetectorFactory, IDisposable
{
    private readonly OnnxDetectorOptions _options;
    private readonly TimeProvider _time;
    private readonly IMeterFactory? _meterFactory;
    private readonly Lock _gate = new();
    private OnnxYoloModel? _model;
    private InferenceScheduler? _scheduler;
    private bool _disposed;

    /// <summary>Creates the factory; the model file is read on the first <see cref="Create"/> or <see cref="GetModel"/>.</summary>
    public OnnxDetectorFactory(OnnxDetectorOptions options)
        : this(options, TimeProvider.System, null)
    {
    }

    /// <summary>Creates the factory with the clock and meters of the host.</summary>
    public OnnxDetectorFactory(OnnxDetectorOptions options, TimeProvider timeProvider, IMeterFactory? meterFactory)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(timeProvider);
        _options = options;
        _time = timeProvider;
        _meterFactory = meterFactory;
    }

    /// <inheritdoc />
    public string Name => "onnx";

    /// <summary>Model runs that may happen at once: <see cref="OnnxDetectorOptions.InferenceWorkers"/>, or one per intra-op share of the processors.</summary>
    public int InferenceWorkers => _options.InferenceWorkers > 0
        ? _options.InferenceWorkers
        : Math.Max(1, Environment.ProcessorCount / Math.Max(1, _options.IntraOpThreads));

    /// <summary>Model runs so far, for all cameras (0 before the model is loaded).</summary>
    public long InferenceRuns => Volatile.Read(ref _scheduler)?.RunCount ?? 0;

    /// <summary>The shared model, loading it if needed.</summary>
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
                if (string.IsNullOrWhiteSpace(_options.ModelPath))
                {
                    throw new ModelLoadException(string.Empty,
                        "No model path: set HgCounter:Detectors:Onnx:ModelPath to a YOLOv5/YOLOv8/YOLO11 .onnx export.");
                }

                // Spinning off: cameras share the CPU, and spinning threads would steal it from each other.
                _model = OnnxYoloModel.Load(_options.ModelPath, _options.IntraOpThreads, allowSpinning: false,
                    OnnxExecutionProviders.Parse(_options.ExecutionProvider), _options.DeviceId, _time, _options.OpenVinoDevice);
            }

            return _model;
        }
    }

    /// <inheritdoc />
    /// <exception cref="ModelLoadException">The model cannot be loaded, or a configured class is not in it.</exception>
    public IDetector Create(string cameraName) =>
        new GatedYoloDetector(GetScheduler(), _options.Gating, _options.MaxFramesInFlight, (float)_options.DetectionScale);

    internal InferenceScheduler GetScheduler()
    {
        var model = GetModel();
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            if (_scheduler is null)
            {
                var allowed = OnnxYoloDetector.ResolveClasses(model, _options.Classes);
                _scheduler = new InferenceScheduler(model,
                    () => new YoloOutputDecoder(model.Layout, model.ClassNames, model.CandidateCount, allowed, _options.Confidence, _options.NmsThreshold),
                    InferenceWorkers, _time, _meterFactory, _options.PackingWait);
            }

            return _scheduler;
        }
    }

    /// <summary>Stops the scheduler and disposes the shared model and its session.</summary>
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
