using System.Globalization;
using Microsoft.ML.OnnxRuntime;

namespace HgCounter.Inference.Detectors;

/// <summary>
/// A loaded YOLO detection model: the one <see cref="InferenceSession"/> shared by every camera that uses it
/// (<c>Run</c> is thread-safe), plus what was learned from its shapes and metadata (layout, input size, class names).
/// Loads any YOLOv8 / YOLO11 export (<c>[1, 4+C, N]</c>) and YOLOv5 export (<c>[1, N, 5+C]</c>).
/// </summary>
public sealed class OnnxYoloModel : IDisposable
{
    private const int DefaultImageSize = 640;
    private const string Expected = "a YOLO detection export: input float32 [1, 3, H, W]; output float32 [1, 4+C, N] (YOLOv8/YOLO11) or [1, N, 5+C] (YOLOv5)";

    private OnnxYoloModel(string path, InferenceSession session, string inputName, string outputName, int inputWidth, int inputHeight,
        YoloOutputLayout layout, int candidateCount, string[] classNames, bool namesFromMetadata)
    {
        ModelPath = path;
        Session = session;
        InputName = inputName;
        OutputName = outputName;
        InputWidth = inputWidth;
        InputHeight = inputHeight;
        Layout = layout;
        CandidateCount = candidateCount;
        ClassNames = classNames;
        HasNamesMetadata = namesFromMetadata;
    }

    /// <summary>The file the model was loaded from.</summary>
    public string ModelPath { get; }

    /// <summary>Name of the image input (<c>images</c> in Ultralytics exports).</summary>
    public string InputName { get; }

    /// <summary>Name of the detection output (<c>output0</c> in Ultralytics exports).</summary>
    public string OutputName { get; }

    /// <summary>Model input width in pixels.</summary>
    public int InputWidth { get; }

    /// <summary>Model input height in pixels.</summary>
    public int InputHeight { get; }

    /// <summary>Output layout recognised from the output shape.</summary>
    public YoloOutputLayout Layout { get; }

    /// <summary>Candidates per output (<c>N</c>).</summary>
    public int CandidateCount { get; }

    /// <summary>Class names by class id: from the <c>names</c> metadata when present, otherwise <c>class0</c>, <c>class1</c>, …</summary>
    public IReadOnlyList<string> ClassNames { get; }

    /// <summary>True when <see cref="ClassNames"/> came from the model's <c>names</c> metadata.</summary>
    public bool HasNamesMetadata { get; }

    /// <summary>Shape of the output tensor: <c>[1, 4+C, N]</c> or <c>[1, N, 5+C]</c>.</summary>
    public long[] OutputShape => Layout == YoloOutputLayout.V8
        ? [1, 4 + ClassNames.Count, CandidateCount]
        : [1, CandidateCount, 5 + ClassNames.Count];

    /// <summary>What one inference costs here, measured at load (see <see cref="InferenceCost"/>).</summary>
    public InferenceCost InferenceCost { get; private set; } = null!;

    /// <summary>The execution provider the session runs on.</summary>
    public OnnxExecutionProvider ExecutionProvider => InferenceCost.Provider;

    internal InferenceSession Session { get; }

    /// <summary>Loads and checks a model, then measures what one inference costs (<see cref="InferenceCost"/>).</summary>
    /// <param name="path">The <c>.onnx</c> file.</param>
    /// <param name="intraOpThreads">Threads one inference may use; 0 lets ONNX Runtime choose.</param>
    /// <param name="allowSpinning">
    /// Let idle intra-op threads spin for work: lower latency on a dedicated CPU, wasted cycles when several cameras share it.
    /// </param>
    /// <param name="provider">Where to run the model; every provider but the CPU needs its ONNX Runtime package.</param>
    /// <param name="deviceId">The GPU, for <c>cuda</c>, <c>tensorrt</c>, <c>directml</c> and <c>rocm</c>.</param>
    /// <param name="timeProvider">The clock the warm-up runs are timed with; <see cref="TimeProvider.System"/> when null.</param>
    /// <param name="openVinoDevice">The OpenVINO device (<c>CPU</c>, <c>GPU</c>, <c>NPU</c>); null uses the package's default.</param>
    /// <exception cref="ModelLoadException">The file is missing, empty, not ONNX, or not a YOLO detection export.</exception>
    /// <exception cref="ExecutionProviderUnavailableException">
    /// The loaded ONNX Runtime does not have <paramref name="provider"/>, or cannot start it.
    /// </exception>
    public static OnnxYoloModel Load(string path, int intraOpThreads = 1, bool allowSpinning = false,
        OnnxExecutionProvider provider = OnnxExecutionProvider.Cpu, int deviceId = 0, TimeProvider? timeProvider = null, string? openVinoDevice = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        ArgumentOutOfRangeException.ThrowIfNegative(intraOpThreads);
        ArgumentOutOfRangeException.ThrowIfNegative(deviceId);
        var fullPath = Path.GetFullPath(path);
        var file = new FileInfo(fullPath);
        if (!file.Exists)
        {
            throw new ModelLoadException(fullPath, $"Model file not found: '{fullPath}'. Expected {Expected}.");
        }

        if (file.Length == 0)
        {
            throw new ModelLoadException(fullPath, $"Model file is empty (0 bytes): '{fullPath}'. Expected {Expected}.");
        }

        var session = CreateSession(fullPath, intraOpThreads, allowSpinning, provider, deviceId, openVinoDevice);
        try
        {
            var model = Inspect(fullPath, session);
            model.InferenceCost = InferenceCostMeter.Measure(model, provider, intraOpThreads, timeProvider ?? TimeProvider.System);
            return model;
        }
        catch
        {
            session.Dispose();
            throw;
        }
    }

    /// <summary>
    /// The class names of the model at <paramref name="path"/>, read from a short-lived CPU session without measuring its
    /// cost, so configuration can be checked against them at start.
    /// </summary>
    /// <exception cref="ModelLoadException">The file is missing, empty, not ONNX, or not a YOLO detection export.</exception>
    internal static IReadOnlyList<string> ReadClassNames(string path)
    {
        var fullPath = Path.GetFullPath(path);
        if (!File.Exists(fullPath) || new FileInfo(fullPath).Length == 0)
        {
            throw new ModelLoadException(fullPath, $"Model file not found or empty: '{fullPath}'.");
        }

        var session = CreateSession(fullPath, 1, false, OnnxExecutionProvider.Cpu, 0, null);
        try
        {
            return Inspect(fullPath, session).ClassNames;
        }
        finally
        {
            session.Dispose(); // the model only wraps it
        }
    }

    /// <summary>Disposes the shared session; detectors created from this model must not be used afterwards.</summary>
    public void Dispose() => Session.Dispose();

    private static InferenceSession CreateSession(string path, int intraOpThreads, bool allowSpinning, OnnxExecutionProvider provider, int deviceId, string? openVinoDevice)
    {
        using var options = new SessionOptions
        {
            IntraOpNumThreads = intraOpThreads,
            InterOpNumThreads = 1,
            ExecutionMode = ExecutionMode.ORT_SEQUENTIAL,
            GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_ALL,
        };
        var spin = allowSpinning ? "1" : "0";
        options.AddSessionConfigEntry("session.intra_op.allow_spinning", spin);
        options.AddSessionConfigEntry("session.inter_op.allow_spinning", spin);
        OnnxExecutionProviders.AppendOrThrow(options, provider, deviceId, openVinoDevice);
        try
        {
            return new InferenceSession(path, options);
        }
        catch (OnnxRuntimeException ex) when (OnnxExecutionProviders.IsFailureOf(provider, ex))
        {
            throw OnnxExecutionProviders.Failed(provider, ex);
        }
        catch (OnnxRuntimeException ex)
        {
            throw new ModelLoadException(path, $"Not a loadable ONNX model: '{path}' ({ex.Message.Trim()}). Expected {Expected}.", ex);
        }
    }

    private static OnnxYoloModel Inspect(string path, InferenceSession session)
    {
        if (session.InputMetadata.Count != 1 || session.OutputMetadata.Count < 1)
        {
            throw new ModelLoadException(path,
                $"Model '{path}' has {session.InputMetadata.Count} inputs and {session.OutputMetadata.Count} outputs. Expected {Expected}.");
        }

        var (inputName, input) = session.InputMetadata.First();
        var (outputName, output) = session.OutputMetadata.First();
        var metadata = session.ModelMetadata.CustomMetadataMap;
        var dims = input.Dimensions;
        if (input.ElementType != typeof(float) || dims.Length != 4 || dims[0] > 1 || dims[1] != 3)
        {
            throw new ModelLoadException(path,
                $"Model '{path}' input '{inputName}' is {Describe(input)}. Expected {Expected} (export without half precision).");
        }

        var imgsz = YoloMetadata.ParseImageSize(metadata.GetValueOrDefault("imgsz"));
        var height = dims[2] > 0 ? dims[2] : imgsz?.Height ?? DefaultImageSize;
        var width = dims[3] > 0 ? dims[3] : imgsz?.Width ?? DefaultImageSize;

        if (output.ElementType != typeof(float))
        {
            throw new ModelLoadException(path, $"Model '{path}' output '{outputName}' is {Describe(output)}. Expected {Expected}.");
        }

        var shape = output.Dimensions.Any(d => d <= 0)
            ? ProbeOutputShape(session, inputName, outputName, width, height)
            : [.. output.Dimensions];
        var names = YoloMetadata.ParseNames(metadata.GetValueOrDefault("names"));
        if (!TryRecogniseLayout(shape, names?.Length, out var layout, out var classCount, out var candidates))
        {
            var namesNote = names is null ? string.Empty : $" with {names.Length} classes in its 'names' metadata";
            throw new ModelLoadException(path,
                $"Model '{path}' output '{outputName}' has shape [{string.Join(", ", shape)}]{namesNote}. Expected {Expected}.");
        }

        var classNames = names ?? [.. Enumerable.Range(0, classCount).Select(i => "class" + i.ToString(CultureInfo.InvariantCulture))];
        return new OnnxYoloModel(path, session, inputName, outputName, width, height, layout, candidates, classNames, names is not null);
    }

    // Shapes decide the layout: YOLOv8/11 put the few attribute rows first ([1, 4+C, N]); YOLOv5 puts the many candidates first.
    private static bool TryRecogniseLayout(long[] shape, int? namedClasses, out YoloOutputLayout layout, out int classCount, out int candidates)
    {
        layout = default;
        classCount = 0;
        candidates = 0;
        if (shape.Length != 3 || shape[0] != 1 || shape[1] > int.MaxValue || shape[2] > int.MaxValue)
        {
            return false;
        }

        var rows = (int)shape[1];
        var columns = (int)shape[2];
        if (namedClasses is { } c)
        {
            if (rows == 4 + c && columns > rows)
            {
                (layout, classCount, candidates) = (YoloOutputLayout.V8, c, columns);
                return true;
            }

            if (columns == 5 + c && rows > columns)
            {
                (layout, classCount, candidates) = (YoloOutputLayout.V5, c, rows);
                return true;
            }

            return false;
        }

        if (rows < columns && rows >= 5)
        {
            (layout, classCount, candidates) = (YoloOutputLayout.V8, rows - 4, columns);
            return true;
        }

        if (columns < rows && columns >= 6)
        {
            (layout, classCount, candidates) = (YoloOutputLayout.V5, columns - 5, rows);
            return true;
        }

        return false;
    }

    // Exports with dynamic axes only reveal their output size by running once.
    private static long[] ProbeOutputShape(InferenceSession session, string inputName, string outputName, int width, int height)
    {
        var data = new float[3 * width * height];
        using var input = OrtValue.CreateTensorValueFromMemory(data, [1, 3, height, width]);
        using var runOptions = new RunOptions();
        using var results = session.Run(runOptions, [inputName], [input], [outputName]);
        return results[0].GetTensorTypeAndShape().Shape;
    }

    private static string Describe(NodeMetadata node) =>
        $"{node.ElementType.Name} [{string.Join(", ", node.Dimensions.Select(d => d < 0 ? "?" : d.ToString(CultureInfo.InvariantCulture)))}]";
}
