using HgCounter.Configuration;
using HgCounter.Detection;

namespace HgCounter.Inference.Detectors;

/// <summary>
/// The <c>onnx</c> detector: owns the one <see cref="OnnxYoloModel"/> (and its inference session) shared by every camera,
/// loaded on the first <see cref="Create"/>; each camera gets an <see cref="OnnxYoloDetector"/> with its own buffers.
/// Dispose the factory after the detectors it created.
/// </summary>
public sealed class OnnxDetectorFactory : IDetectorFactory, IDisposable
{
    private readonly OnnxDetectorOptions _options;
    private readonly Lock _gate = new();
    private OnnxYoloModel? _model;
    private bool _disposed;

    /// <summary>Creates the factory; the model file is read on the first <see cref="Create"/> or <see cref="GetModel"/>.</summary>
    public OnnxDetectorFactory(OnnxDetectorOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        _options = options;
    }

    /// <inheritdoc />
    public string Name => "onnx";

    /// <summary>The shared model, loading it if needed.</summary>
    /// <exception cref="ModelLoadException">The model path is not set, or the file cannot be used.</exception>
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
                _model = OnnxYoloModel.Load(_options.ModelPath, _options.IntraOpThreads, allowSpinning: false);
            }

            return _model;
        }
    }

    /// <inheritdoc />
    /// <exception cref="ModelLoadException">The model cannot be loaded, or a configured class is not in it.</exception>
    public IDetector Create(string cameraName) =>
        new OnnxYoloDetector(GetModel(), _options.Classes, _options.Confidence, _options.NmsThreshold);

    /// <summary>Disposes the shared model and its session.</summary>
    public void Dispose()
    {
        lock (_gate)
        {
            _disposed = true;
            _model?.Dispose();
            _model = null;
        }
    }
}
