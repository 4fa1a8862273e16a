using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Options;

namespace HgCounter.Configuration;

/// <summary>ONNX Runtime YOLO detector (YOLOv5, YOLOv8, YOLO11 exports).</summary>
public sealed class OnnxDetectorOptions
{
    /// <summary>Path of the <c>.onnx</c> file. Required when a camera uses the <c>onnx</c> detector.</summary>
    public string? ModelPath { get; set; }

    /// <summary>
    /// Named models (<c>HgCounter:Detectors:Onnx:Models:NAME</c>) that cameras choose with <c>Model</c>; a camera without
    /// one uses <see cref="ModelPath"/>. Names are case-insensitive.
    /// </summary>
    public IDictionary<string, OnnxModelOptions> Models { get; } = new Dictionary<string, OnnxModelOptions>(StringComparer.OrdinalIgnoreCase);

    /// <summary>Classes to keep, by name (e.g. <c>person</c>); empty keeps all.</summary>
    public IList<string> Classes { get; } = [];

    /// <summary>Minimum confidence.</summary>
    [Range(0.0, 1.0)]
    public float Confidence { get; set; } = 0.4f;

    /// <summary>IoU above which non-maximum suppression removes the weaker box of the same class.</summary>
    [Range(0.0, 1.0)]
    public float NmsThreshold { get; set; } = 0.45f;

    /// <summary>
    /// Intra-op threads of the shared session; 0 lets ONNX Runtime choose. On the CPU provider this is the CPU one
    /// inference may use; on a GPU provider only the operators left on the CPU use it, and 1 is enough.
    /// </summary>
    [Range(0, 256)]
    public int IntraOpThreads { get; set; } = 1;

    /// <summary>Model runs at a time for all cameras of this model; 0 means one per <see cref="IntraOpThreads"/> share of the processor count.</summary>
    [Range(0, 64)]
    public int InferenceWorkers { get; set; }

    /// <summary>Frames of one camera that may wait for or be in a model run at once, so a camera keeps its rate while the model serves others.</summary>
    [Range(1, 16)]
    public int MaxFramesInFlight { get; set; } = 6;

    /// <summary>
    /// Size at which the model sees the picture, relative to the plain letterbox (1, the default: the frame fills the model
    /// input). Below 1 objects look smaller to the model and the crops (or whole frames) of several frames fit in one run,
    /// so one run serves more cameras; small or distant objects are found less reliably. Measure the counts before
    /// lowering it (docs/performance.md shows the trade on real footage).
    /// </summary>
    [Range(0.2, 1.0)]
    public double DetectionScale { get; set; } = 1;

    /// <summary>
    /// How long a model input with room left waits for more frames before it runs (a run costs the same however little
    /// of the input is used). Adds at most this much latency; zero runs every frame as soon as a worker is free.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:00:01")]
    public TimeSpan PackingWait { get; set; } = TimeSpan.FromMilliseconds(40);

    /// <summary>Motion gating: run the model only where and when something moves.</summary>
    [ValidateObjectMembers]
    public MotionGatingOptions Gating { get; } = new();

    /// <summary>
    /// ONNX Runtime execution provider: <c>cpu</c> (default), <c>cuda</c>, <c>tensorrt</c>, <c>openvino</c>,
    /// <c>directml</c>, <c>coreml</c> or <c>rocm</c>. Any but <c>cpu</c> needs the matching ONNX Runtime package in the
    /// application (e.g. <c>Microsoft.ML.OnnxRuntime.Gpu</c> for <c>cuda</c> and <c>tensorrt</c>); start-up fails when the
    /// loaded ONNX Runtime does not have it.
    /// </summary>
    [Required]
    public string ExecutionProvider { get; set; } = "cpu";

    /// <summary>The GPU to run on (<c>cuda</c>, <c>tensorrt</c>, <c>directml</c>, <c>rocm</c>); other providers ignore it.</summary>
    [Range(0, 255)]
    public int DeviceId { get; set; }

    /// <summary>
    /// The OpenVINO device (<c>CPU</c>, <c>GPU</c>, <c>GPU.1</c>, <c>NPU</c>, …) when <see cref="ExecutionProvider"/> is
    /// <c>openvino</c>; empty uses the package's default device.
    /// </summary>
    public string? OpenVinoDevice { get; set; }
}
