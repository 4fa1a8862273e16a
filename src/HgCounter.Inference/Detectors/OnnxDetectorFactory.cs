using System.Diagnostics.Metrics;
using HgCounter.Configuration;
using HgCounter.Detection;
using HgCounter.Inference.Scheduling;

namespace HgCounter.Inference.Detectors;

/// <summary>
/// The <c>onnx</c> detector: owns its models, each loaded once on first use (with its one inference session) and run for
/// all the cameras that use it by one scheduler (crops of several cameras packed into one run, cameras served in turn).
/// The detector's own <see cref="OnnxDetectorOptions.ModelPath"/> is the model of cameras that name none; a camera
/// naming <c>Model</c> uses <c>HgCounter:Detectors:Onnx:Models:NAME</c>. Each camera gets its own motion-gated detector
/// with its own buffers, and may keep its own classes and confidence. Dispose the factory after the detectors it created.
/// </summary>
public sealed class OnnxDetectorFactory : IDetectorFactory, IDisposable
{
    private const string OnnxKey = "HgCounter:Detectors:Onnx";
    private readonly OnnxDetectorOptions _options;
    private readonly TimeProvider _time;
    private readonly IMeterFactory? _meterFactory;
    private readonly Lock _gate = new();
    private readonly Dictionary<string, SharedOnnxModel> _models = new(StringComparer.OrdinalIgnoreCase);
    private bool _disposed;

    /// <summary>Creates the factory; a model file is read on the first <see cref="Create(string)"/> or <see cref="GetModel()"/> that needs it.</summary>
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

    /// <summary>Model runs that may happen at once per model: <see cref="OnnxDetectorOptions.InferenceWorkers"/>, or one per intra-op share of the processors.</summary>
    public int InferenceWorkers => _options.InferenceWorkers > 0
        ? _options.InferenceWorkers
        : Math.Max(1, Environment.ProcessorCount / Math.Max(1, _options.IntraOpThreads));

    /// <summary>Model runs so far, for all cameras and models (0 before a model is loaded).</summary>
    public long InferenceRuns
    {
        get
        {
            lock (_gate)
            {
                return _models.Values.Sum(m => m.InferenceRuns);
            }
        }
    }

    /// <summary>Model files loaded into a session so far: one per model in use, however many cameras share it.</summary>
    internal int ModelLoads
    {
        get
        {
            lock (_gate)
            {
                return _models.Values.Sum(m => m.Loads);
            }
        }
    }

    /// <summary>The detector's own model (<see cref="OnnxDetectorOptions.ModelPath"/>), loading it if needed.</summary>
    /// <exception cref="ModelLoadException">The model path is not set, or the file cannot be used.</exception>
    /// <exception cref="ExecutionProviderUnavailableException">The configured execution provider cannot be used.</exception>
    /// <exception cref="ArgumentException">The configured execution provider is not a known name.</exception>
    public OnnxYoloModel GetModel() => GetModel(null);

    /// <summary>The model named <paramref name="modelName"/> (null: the detector's own), loading it if needed.</summary>
    /// <exception cref="ModelLoadException">The model path is not set, or the file cannot be used.</exception>
    /// <exception cref="ExecutionProviderUnavailableException">The configured execution provider cannot be used.</exception>
    /// <exception cref="ArgumentException">No model has that name, or the execution provider is not a known name.</exception>
    public OnnxYoloModel GetModel(string? modelName) => Model(modelName).GetModel();

    /// <inheritdoc />
    /// <remarks>The camera uses the detector's own model, classes and confidence.</remarks>
    /// <exception cref="ModelLoadException">The model cannot be loaded, or a configured class is not in it.</exception>
    public IDetector Create(string cameraName) => Model(null).CreateDetector(null, null);

    /// <summary>
    /// Creates the detector of <paramref name="camera"/>: on its <see cref="CameraOptions.Model"/> (shared with every other
    /// camera naming it), keeping its own <see cref="CameraOptions.Classes"/> and <see cref="CameraOptions.Confidence"/> when set.
    /// </summary>
    /// <exception cref="ModelLoadException">The model cannot be loaded, or a class is not in it.</exception>
    /// <exception cref="ArgumentException">No model has the camera's model name.</exception>
    public IDetector Create(CameraOptions camera)
    {
        ArgumentNullException.ThrowIfNull(camera);
        return Model(camera.Model).CreateDetector(camera.Classes, camera.Confidence);
    }

    internal InferenceScheduler GetScheduler(string? modelName = null) => Model(modelName).GetScheduler();

    /// <summary>Stops the schedulers and disposes the models and their sessions.</summary>
    public void Dispose()
    {
        lock (_gate)
        {
            _disposed = true;
            foreach (var model in _models.Values)
            {
                model.Dispose();
            }

            _models.Clear();
        }
    }

    private SharedOnnxModel Model(string? name)
    {
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            var key = name ?? string.Empty;
            if (!_models.TryGetValue(key, out var model))
            {
                model = name is null
                    ? new SharedOnnxModel(null, OnnxKey + ":ModelPath", _options.ModelPath, [.. _options.Classes], _options.Confidence, _options.NmsThreshold,
                        _options, InferenceWorkers, _time, _meterFactory)
                    : FromNamed(name);
                _models.Add(key, model);
            }

            return model;
        }
    }

    private SharedOnnxModel FromNamed(string name)
    {
        if (!_options.Models.TryGetValue(name, out var named) || named is null)
        {
            throw new ArgumentException(
                $"No model '{name}' under {OnnxKey}:Models; configured: {(_options.Models.Count == 0 ? "none" : string.Join(", ", _options.Models.Keys))}.", nameof(name));
        }

        return new SharedOnnxModel(name, $"{OnnxKey}:Models:{name}:ModelPath", named.ModelPath, [.. named.Classes], named.Confidence ?? _options.Confidence,
            named.NmsThreshold ?? _options.NmsThreshold, _options, InferenceWorkers, _time, _meterFactory);
    }
}
