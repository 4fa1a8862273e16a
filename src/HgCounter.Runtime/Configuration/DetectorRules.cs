using HgCounter.Configuration;
using HgCounter.Inference.Detectors;

namespace HgCounter.Runtime.Configuration;

/// <summary>
/// Every camera names a registered detector, and what the chosen detectors need is there: the model file, and an
/// execution provider the loaded ONNX Runtime has.
/// </summary>
internal static class DetectorRules
{
    private const string OnnxKey = HgCounterOptions.SectionName + ":Detectors:Onnx";

    public static void Check(HgCounterOptions options, IReadOnlyList<DetectorRegistration> detectors, List<string> failures)
    {
        var modelNeeded = false;
        for (var i = 0; i < options.Cameras.Count; i++)
        {
            if (options.Cameras[i] is not { } camera || string.IsNullOrWhiteSpace(camera.Detector))
            {
                continue; // [Required] reports an empty name.
            }

            var detector = detectors.FirstOrDefault(d => string.Equals(d.Name, camera.Detector, StringComparison.OrdinalIgnoreCase));
            if (detector is null)
            {
                failures.Add($"{HgCounterOptions.SectionName}:Cameras:{i}:Detector: unknown detector '{camera.Detector}'; registered: {string.Join(", ", detectors.Select(d => d.Name))}.");
            }

            modelNeeded |= detector?.RequiresModelFile == true;
        }

        if (modelNeeded)
        {
            CheckModelPath(options.Detectors.Onnx.ModelPath, failures);
        }

        CheckExecutionProvider(options.Detectors.Onnx, modelNeeded, failures);
    }

    private static void CheckModelPath(string? modelPath, List<string> failures)
    {
        if (string.IsNullOrWhiteSpace(modelPath))
        {
            failures.Add($"{OnnxKey}:ModelPath: a camera uses the onnx detector, so a model path is required.");
        }
        else if (!File.Exists(modelPath))
        {
            failures.Add($"{OnnxKey}:ModelPath: model file '{Path.GetFullPath(modelPath)}' does not exist.");
        }
    }

    // A name that is not a provider is always a mistake; a provider that is not here only matters when a camera needs it.
    private static void CheckExecutionProvider(OnnxDetectorOptions onnx, bool modelNeeded, List<string> failures)
    {
        if (string.IsNullOrWhiteSpace(onnx.ExecutionProvider))
        {
            return; // [Required] reports it.
        }

        if (!OnnxExecutionProviders.TryParse(onnx.ExecutionProvider, out var provider))
        {
            failures.Add($"{OnnxKey}:ExecutionProvider: unknown execution provider '{onnx.ExecutionProvider}'; known: {string.Join(", ", OnnxExecutionProviders.Names)}.");
        }
        else if (modelNeeded && !OnnxExecutionProviders.TryCheck(provider, onnx.DeviceId, out var problem))
        {
            failures.Add($"{OnnxKey}:ExecutionProvider: '{onnx.ExecutionProvider}' cannot be used: {problem}");
        }
    }
}
