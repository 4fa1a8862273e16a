using HgCounter.Configuration;
using HgCounter.Inference.Detectors;
using HgCounter.Rtsp.OpenCv;

namespace HgCounter.Runtime.Agent;

/// <summary>
/// Fails start-up, before any camera loop, when a native library the configuration needs is missing: OpenCV always
/// (frames, motion, letterboxing), ONNX Runtime when a camera uses the <c>onnx</c> detector. One message names every
/// package to add, instead of a <see cref="TypeInitializationException"/> from deep inside the first frame.
/// </summary>
internal static class NativeRuntimeCheck
{
    public static void EnsureAvailable(HgCounterOptions options)
    {
        var problems = new List<string>();
        var packages = new List<string>();
        Exception? first = null;
        if (!OpenCvNativeRuntime.TryCheck(out var openCv, out var openCvError))
        {
            problems.Add(openCv!);
            packages.AddRange(OpenCvNativeRuntime.Packages);
            first = openCvError;
        }

        var usesOnnx = options.Cameras.Any(c => string.Equals(c?.Detector, "onnx", StringComparison.OrdinalIgnoreCase));
        if (usesOnnx && !OnnxNativeRuntime.TryCheck(out var onnx, out var onnxError))
        {
            problems.Add(onnx!);
            packages.Add(OnnxNativeRuntime.Package);
            first ??= onnxError;
        }

        if (problems.Count > 0)
        {
            throw new NativeRuntimeMissingException($"HgCounter cannot start: {string.Join(" ", problems)}", packages, first);
        }
    }
}
