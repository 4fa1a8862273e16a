using HgCounter.Detection;
using HgCounter.Frames;
using HgCounter.Inference.Imaging;
using Microsoft.ML.OnnxRuntime;

namespace HgCounter.Inference.Detectors;

/// <summary>
/// YOLO detector for one camera on a shared <see cref="OnnxYoloModel"/>. It owns its preprocessing buffer, output buffer
/// and I/O binding, so a <see cref="Detect"/> call in steady state allocates nothing: the frame is letterboxed straight
/// into the bound input tensor, inference writes into the bound output tensor, and decoding reads it in place.
/// </summary>
internal sealed class OnnxYoloDetector : IDetector
{
    private readonly OnnxYoloModel _model;
    private readonly LetterboxPreprocessor _preprocessor;
    private readonly float[] _output;
    private readonly OrtValue _inputValue;
    private readonly OrtValue _outputValue;
    private readonly OrtIoBinding _binding;
    private readonly RunOptions _runOptions;
    private readonly YoloOutputDecoder _decoder;
    private bool _disposed;

    /// <summary>Creates a detector on <paramref name="model"/>, which the caller keeps and disposes after this detector.</summary>
    /// <param name="model">The shared model.</param>
    /// <param name="classes">Class names to report (case-insensitive); null or empty reports every class.</param>
    /// <param name="confidence">Minimum confidence.</param>
    /// <param name="nmsThreshold">IoU above which the weaker box of the same class is removed.</param>
    /// <exception cref="ModelLoadException">A requested class is not one of the model's classes.</exception>
    public OnnxYoloDetector(OnnxYoloModel model, IEnumerable<string>? classes = null, float confidence = 0.4f, float nmsThreshold = 0.45f)
    {
        ArgumentNullException.ThrowIfNull(model);
        _model = model;
        var allowed = ResolveClasses(model, classes);
        _decoder = new YoloOutputDecoder(model.Layout, model.ClassNames, model.CandidateCount, allowed, confidence, nmsThreshold);
        _preprocessor = new LetterboxPreprocessor(model.InputWidth, model.InputHeight);
        _output = new float[_decoder.OutputLength];
        _runOptions = new RunOptions();
        _inputValue = OrtValue.CreateTensorValueFromMemory(_preprocessor.Tensor, [1, 3, model.InputHeight, model.InputWidth]);
        _outputValue = OrtValue.CreateTensorValueFromMemory(_output, model.OutputShape);
        _binding = model.Session.CreateIoBinding();
        _binding.BindInput(model.InputName, _inputValue);
        _binding.BindOutput(model.OutputName, _outputValue);
    }

    /// <inheritdoc />
    public IReadOnlyList<string> ClassNames => _model.ClassNames;

    /// <inheritdoc />
    /// <remarks>The model input: every frame is letterboxed into it, so a larger one brings no detail the model sees.</remarks>
    public FrameSizeHint? PreferredFrameSize => new FrameSizeHint(_model.InputWidth, _model.InputHeight);

    /// <inheritdoc />
    public void Detect(Frame frame, List<ObjectDetection> detections)
    {
        ArgumentNullException.ThrowIfNull(frame);
        ArgumentNullException.ThrowIfNull(detections);
        ObjectDisposedException.ThrowIf(_disposed, this);
        var transform = _preprocessor.Process(frame.Buffer, frame.Width, frame.Height);
        _model.Session.RunWithBinding(_runOptions, _binding);
        _decoder.Decode(_output, transform, detections);
    }

    /// <inheritdoc />
    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        _binding.Dispose();
        _outputValue.Dispose();
        _inputValue.Dispose();
        _runOptions.Dispose();
        _preprocessor.Dispose();
    }

    internal static int[]? ResolveClasses(OnnxYoloModel model, IEnumerable<string>? classes)
    {
        var wanted = classes?.Where(c => !string.IsNullOrWhiteSpace(c)).ToArray() ?? [];
        if (wanted.Length == 0)
        {
            return null;
        }

        var ids = new int[wanted.Length];
        for (var i = 0; i < wanted.Length; i++)
        {
            ids[i] = -1;
            for (var c = 0; c < model.ClassNames.Count; c++)
            {
                if (string.Equals(model.ClassNames[c], wanted[i].Trim(), StringComparison.OrdinalIgnoreCase))
                {
                    ids[i] = c;
                    break;
                }
            }

            if (ids[i] < 0)
            {
                throw new ModelLoadException(model.ModelPath,
                    $"Class '{wanted[i]}' is not a class of model '{model.ModelPath}'. Its classes are: {string.Join(", ", model.ClassNames)}.");
            }
        }

        return ids;
    }
}
