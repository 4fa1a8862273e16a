namespace HgCounter.Inference.Detectors;

/// <summary>
/// Where ONNX Runtime runs a model. Every provider but <see cref="Cpu"/> needs the ONNX Runtime package built with it in
/// the application; operators a provider cannot run fall back to the CPU.
/// </summary>
public enum OnnxExecutionProvider
{
    /// <summary>The CPU (<c>CPUExecutionProvider</c>), in every ONNX Runtime package.</summary>
    Cpu,

    /// <summary>NVIDIA CUDA (<c>CUDAExecutionProvider</c>), package <c>Microsoft.ML.OnnxRuntime.Gpu</c>.</summary>
    Cuda,

    /// <summary>NVIDIA TensorRT, with CUDA for what TensorRT cannot run (<c>TensorrtExecutionProvider</c>), package <c>Microsoft.ML.OnnxRuntime.Gpu</c>.</summary>
    TensorRT,

    /// <summary>Intel OpenVINO (<c>OpenVINOExecutionProvider</c>), package <c>Intel.ML.OnnxRuntime.OpenVino</c>.</summary>
    OpenVino,

    /// <summary>DirectML on Windows (<c>DmlExecutionProvider</c>), package <c>Microsoft.ML.OnnxRuntime.DirectML</c>.</summary>
    DirectML,

    /// <summary>Apple CoreML (<c>CoreMLExecutionProvider</c>), in <c>Microsoft.ML.OnnxRuntime</c> on macOS and iOS.</summary>
    CoreML,

    /// <summary>AMD ROCm (<c>ROCMExecutionProvider</c>): needs an ONNX Runtime built with it; no NuGet package ships one.</summary>
    Rocm,
}
