using HgCounter.Configuration;
using HgCounter.Inference.Detectors;

namespace HgCounter.Runtime.Configuration;

/// <summary>
/// Every camera names a registered detector, and what the chosen detectors need is there: the model file (the detector's
/// own, or the named model a camera chooses), and an execution provider the loaded ONNX Runtime has. Per-camera detection
/// settings are only given to the <c>onnx</c> detector, and a camera's confidence is above 0.
/// </summary>
internal static class DetectorRules
{
    internal const string OnnxKey = HgCounterOptions.SectionName + ":Detectors:Onnx";

    public static void Check(HgCounterOptions options, IReadOnlyList<DetectorRegistration> detectors, List<string> failures)
    {
        var modelNeeded = false;
        var namedInUse = new SortedSet<string>(StringComparer.OrdinalIgnoreCase);
        for (var i = 0; i < options.Cameras.Count; i++)
        {
            if (options.Cameras[i] is not { } camera || string.IsNullOrWhiteSpace(camera.Detector))
            {
                continue; // [Required] reports an empty name.
            }

            var key = $"{HgCounterOptions.SectionName}:Cameras:{i}";
            var detector = detectors.FirstOrDefault(d => string.Equals(d.Name, camera.Detector, StringComparison.OrdinalIgnoreCase));
            if (detector is null)
            {
                failures.Add($"{key}:Detector: unknown detector '{camera.Detector}'; registered: {string.Join(", ", detectors.Select(d => d.Name))}.");
            }

            if (camera.Confidence == 0)
            {
                failures.Add($"{key}:Confidence: must be above 0 and at most 1 (0 would keep every candidate the model has).");
            }

            if (!IsOnnx(camera))
            {
                CheckNotOnnx(key, camera, failures);
                modelNeeded |= detector?.RequiresModelFile == true;
                continue;
            }

            if (camera.Model is null)
            {
                modelNeeded = true;
            }
            else if (CheckModelName(key, camera.Model, options.Detectors.Onnx, failures))
            {
                namedInUse.Add(camera.Model);
            }
        }

        if (modelNeeded)
        {
            CheckModelPath($"{OnnxKey}:ModelPath", options.Detectors.Onnx.ModelPath, failures);
        }

        foreach (var (name, model) in options.Detectors.Onnx.Models)
        {
            var key = $"{OnnxKey}:Models:{name}";
            if (model is null)
            {
                failures.Add($"{key}: model entry is empty; it needs at least a ModelPath.");
                continue;
            }

            OptionsAnnotations.Validate(model, key, failures); // dictionary values are beyond the generated validator
            if (namedInUse.Contains(name) && !string.IsNullOrWhiteSpace(model.ModelPath))
            {
                CheckModelPath($"{key}:ModelPath", model.ModelPath, failures);
            }
        }

        CheckExecutionProvider(options.Detectors.Onnx, modelNeeded || namedInUse.Count > 0, failures);
        ClassRules.Check(options, failures);
    }

    /// <summary>True for a camera on the built-in <c>onnx</c> detector, the one that reads Model, Classes and Confidence.</summary>
    internal static bool IsOnnx(CameraOptions camera) => string.Equals(camera.Detector, "onnx", StringComparison.OrdinalIgnoreCase);

    private static void CheckNotOnnx(string key, CameraOptions camera, List<string> failures)
    {
        var reason = $"only the onnx detector reads it, and this camera uses '{camera.Detector}'.";
        if (camera.Model is not null)
        {
            failures.Add($"{key}:Model: {reason}");
        }

        if (camera.Classes.Count > 0)
        {
            failures.Add($"{key}:Classes: {reason}");
        }

        if (camera.Confidence is not null)
        {
            failures.Add($"{key}:Confidence: {reason}");
        }
    }

    private static bool CheckModelName(string key, string name, OnnxDetectorOptions onnx, List<string> failures)
    {
        if (!string.IsNullOrWhiteSpace(name) && onnx.Models.ContainsKey(name))
        {
            return true;
        }

        var known = onnx.Models.Count == 0 ? $"no models are configured under {OnnxKey}:Models" : $"configured under {OnnxKey}:Models: {string.Join(", ", onnx.Models.Keys)}";
        failures.Add(string.IsNullOrWhiteSpace(name)
            ? $"{key}:Model: empty model name; remove it to use {OnnxKey}:ModelPath, or name a model ({known})."
            : $"{key}:Model: unknown model '{name}'; {known}.");
        return false;
    }

    private static void CheckModelPath(string key, string? modelPath, List<string> failures)
    {
        if (string.IsNullOrWhiteSpace(modelPath))
        {
            failures.Add($"{key}: a camera uses this model, so a model path is required.");
        }
        else if (!File.Exists(modelPath))
        {
            failures.Add($"{key}: model file '{Path.GetFullPath(modelPath)}' does not exist.");
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
