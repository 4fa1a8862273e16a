using Microsoft.ML.OnnxRuntime;

namespace HgCounter.Inference.Detectors;

/// <summary>
/// Names of the execution providers (as configured in <c>HgCounter:Detectors:Onnx:ExecutionProvider</c> and as ONNX Runtime
/// reports them), the package each needs, and what the ONNX Runtime loaded in this process has.
/// </summary>
public static class OnnxExecutionProviders
{
    private static readonly Row[] Table =
    [
        new(OnnxExecutionProvider.Cpu, "cpu", "CPUExecutionProvider", "Microsoft.ML.OnnxRuntime", "Every ONNX Runtime package has it."),
        new(OnnxExecutionProvider.Cuda, "cuda", "CUDAExecutionProvider", "Microsoft.ML.OnnxRuntime.Gpu",
            "Add the NuGet package Microsoft.ML.OnnxRuntime.Gpu to the application in place of Microsoft.ML.OnnxRuntime; it needs the CUDA and cuDNN libraries its release was built for."),
        new(OnnxExecutionProvider.TensorRT, "tensorrt", "TensorrtExecutionProvider", "Microsoft.ML.OnnxRuntime.Gpu",
            "Add the NuGet package Microsoft.ML.OnnxRuntime.Gpu to the application in place of Microsoft.ML.OnnxRuntime; it needs the CUDA, cuDNN and TensorRT libraries its release was built for."),
        new(OnnxExecutionProvider.OpenVino, "openvino", "OpenVINOExecutionProvider", "Intel.ML.OnnxRuntime.OpenVino",
            "Add the NuGet package Intel.ML.OnnxRuntime.OpenVino to the application in place of Microsoft.ML.OnnxRuntime."),
        new(OnnxExecutionProvider.DirectML, "directml", "DmlExecutionProvider", "Microsoft.ML.OnnxRuntime.DirectML",
            "Add the NuGet package Microsoft.ML.OnnxRuntime.DirectML to the application in place of Microsoft.ML.OnnxRuntime (Windows only)."),
        new(OnnxExecutionProvider.CoreML, "coreml", "CoreMLExecutionProvider", "Microsoft.ML.OnnxRuntime",
            "CoreML is in the NuGet package Microsoft.ML.OnnxRuntime on macOS and iOS only; elsewhere choose another provider."),
        new(OnnxExecutionProvider.Rocm, "rocm", "ROCMExecutionProvider", null,
            "No NuGet package has it: the application needs an ONNX Runtime built with ROCm."),
    ];

    /// <summary>The configuration names, in order: <c>cpu</c>, <c>cuda</c>, <c>tensorrt</c>, <c>openvino</c>, <c>directml</c>, <c>coreml</c>, <c>rocm</c>.</summary>
    public static IReadOnlyList<string> Names { get; } = [.. Table.Select(t => t.Name)];

    /// <summary>Parses a configuration name (case-insensitive, surrounding spaces ignored).</summary>
    public static bool TryParse(string? name, out OnnxExecutionProvider provider)
    {
        var trimmed = name?.Trim();
        foreach (var row in Table)
        {
            if (string.Equals(row.Name, trimmed, StringComparison.OrdinalIgnoreCase))
            {
                provider = row.Provider;
                return true;
            }
        }

        provider = default;
        return false;
    }

    /// <summary>Parses a configuration name.</summary>
    /// <exception cref="ArgumentException"><paramref name="name"/> is not one of <see cref="Names"/>.</exception>
    public static OnnxExecutionProvider Parse(string? name) => TryParse(name, out var provider)
        ? provider
        : throw new ArgumentException($"Unknown execution provider '{name}'; known: {string.Join(", ", Names)}.", nameof(name));

    /// <summary>The configuration name (<c>cuda</c>).</summary>
    public static string GetName(OnnxExecutionProvider provider) => Find(provider).Name;

    /// <summary>The name ONNX Runtime uses (<c>CUDAExecutionProvider</c>).</summary>
    public static string GetNativeName(OnnxExecutionProvider provider) => Find(provider).NativeName;

    /// <summary>The NuGet package that has <paramref name="provider"/>, or null when none does (<c>rocm</c>).</summary>
    public static string? GetPackage(OnnxExecutionProvider provider) => Find(provider).Package;

    /// <summary>The providers of the ONNX Runtime native library loaded in this process (<c>CPUExecutionProvider</c>, …).</summary>
    public static IReadOnlyList<string> GetAvailable() => OrtEnv.Instance().GetAvailableProviders();

    /// <summary>
    /// Whether <paramref name="provider"/> can be used here: the loaded ONNX Runtime has it and accepts it on a session
    /// (which loads the provider's own libraries, e.g. CUDA and cuDNN). The device itself is only checked when a model loads.
    /// </summary>
    /// <param name="provider">The provider.</param>
    /// <param name="deviceId">The GPU, for the providers that take one.</param>
    /// <param name="problem">Why not, naming the providers there are and the package to add; null when usable.</param>
    public static bool TryCheck(OnnxExecutionProvider provider, int deviceId, out string? problem)
    {
        problem = null;
        if (provider == OnnxExecutionProvider.Cpu)
        {
            return true;
        }

        var available = GetAvailable();
        if (!available.Contains(GetNativeName(provider), StringComparer.Ordinal))
        {
            problem = DescribeMissing(provider, available);
            return false;
        }

        using var options = new SessionOptions();
        try
        {
            Append(options, provider, deviceId, openVinoDevice: null);
            return true;
        }
        catch (OnnxRuntimeException ex)
        {
            problem = DescribeFailed(provider, ex);
            return false;
        }
    }

    /// <summary>Appends <paramref name="provider"/>, or throws the typed exception that says why it cannot be used.</summary>
    internal static void AppendOrThrow(SessionOptions options, OnnxExecutionProvider provider, int deviceId, string? openVinoDevice)
    {
        if (provider == OnnxExecutionProvider.Cpu)
        {
            return;
        }

        var available = GetAvailable();
        if (!available.Contains(GetNativeName(provider), StringComparer.Ordinal))
        {
            throw new ExecutionProviderUnavailableException(provider, available,
                $"Execution provider '{GetName(provider)}' is not available: {DescribeMissing(provider, available)}");
        }

        try
        {
            Append(options, provider, deviceId, openVinoDevice);
        }
        catch (OnnxRuntimeException ex)
        {
            throw Failed(provider, ex);
        }
    }

    /// <summary>True when a session failed because of <paramref name="provider"/> (its message names it), not because of the model.</summary>
    internal static bool IsFailureOf(OnnxExecutionProvider provider, OnnxRuntimeException ex)
    {
        if (provider == OnnxExecutionProvider.Cpu)
        {
            return false;
        }

        var name = GetNativeName(provider).Replace("ExecutionProvider", string.Empty, StringComparison.Ordinal);
        return ex.Message.Contains(name, StringComparison.OrdinalIgnoreCase)
            || ex.Message.Contains(GetName(provider), StringComparison.OrdinalIgnoreCase);
    }

    internal static ExecutionProviderUnavailableException Failed(OnnxExecutionProvider provider, OnnxRuntimeException ex) =>
        new(provider, GetAvailable(), $"Execution provider '{GetName(provider)}' could not be used: {DescribeFailed(provider, ex)}", ex);

    internal static void Append(SessionOptions options, OnnxExecutionProvider provider, int deviceId, string? openVinoDevice)
    {
        switch (provider)
        {
            case OnnxExecutionProvider.Cpu:
                break;
            case OnnxExecutionProvider.Cuda:
                options.AppendExecutionProvider_CUDA(deviceId);
                break;
            case OnnxExecutionProvider.TensorRT:
                // TensorRT first; CUDA takes what TensorRT cannot build, the CPU what neither can run.
                options.AppendExecutionProvider_Tensorrt(deviceId);
                options.AppendExecutionProvider_CUDA(deviceId);
                break;
            case OnnxExecutionProvider.OpenVino:
                options.AppendExecutionProvider_OpenVINO(openVinoDevice ?? string.Empty);
                break;
            case OnnxExecutionProvider.DirectML:
                // DirectML supports neither memory patterns nor parallel execution.
                options.EnableMemoryPattern = false;
                options.ExecutionMode = ExecutionMode.ORT_SEQUENTIAL;
                options.AppendExecutionProvider_DML(deviceId);
                break;
            case OnnxExecutionProvider.CoreML:
                options.AppendExecutionProvider_CoreML();
                break;
            case OnnxExecutionProvider.Rocm:
                options.AppendExecutionProvider_ROCm(deviceId);
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(provider), provider, "Unknown execution provider.");
        }
    }

    internal static string DescribeMissing(OnnxExecutionProvider provider, IReadOnlyList<string> available) =>
        $"the loaded ONNX Runtime has no {GetNativeName(provider)} (it has: {string.Join(", ", available)}). "
        + $"{Find(provider).Remedy} Or use 'cpu'.";

    internal static string DescribeFailed(OnnxExecutionProvider provider, OnnxRuntimeException ex) =>
        $"the loaded ONNX Runtime has {GetNativeName(provider)} but could not start it ({ex.Message.Trim()}). "
        + $"Check that the libraries it needs are installed and that the device exists. {Find(provider).Remedy}";

    private static Row Find(OnnxExecutionProvider provider)
    {
        foreach (var row in Table)
        {
            if (row.Provider == provider)
            {
                return row;
            }
        }

        throw new ArgumentOutOfRangeException(nameof(provider), provider, "Unknown execution provider.");
    }

    private sealed record Row(OnnxExecutionProvider Provider, string Name, string NativeName, string? Package, string Remedy);
}
