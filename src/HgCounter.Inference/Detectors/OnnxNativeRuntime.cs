using Microsoft.ML.OnnxRuntime;

namespace HgCounter.Inference.Detectors;

/// <summary>Whether ONNX Runtime's native library is loadable: the application adds the flavour it wants (this package carries the managed API only).</summary>
internal static class OnnxNativeRuntime
{
    /// <summary>The CPU package; GPU and other flavours are named in the message.</summary>
    public const string Package = "Microsoft.ML.OnnxRuntime";

    /// <summary>True when ONNX Runtime's native library loads; otherwise <paramref name="problem"/> says which package to add.</summary>
    public static bool TryCheck(out string? problem, out Exception? error)
    {
        try
        {
            _ = OrtEnv.Instance();
            problem = null;
            error = null;
            return true;
        }
        catch (Exception ex) when (NativeLoadFailure.Is(ex))
        {
            problem = $"the ONNX Runtime native library (onnxruntime) cannot be loaded: add the package {Package} to the application "
                + "(or Microsoft.ML.OnnxRuntime.Gpu for cuda/tensorrt, Microsoft.ML.OnnxRuntime.DirectML, Intel.ML.OnnxRuntime.OpenVino).";
            error = ex;
            return false;
        }
    }
}
