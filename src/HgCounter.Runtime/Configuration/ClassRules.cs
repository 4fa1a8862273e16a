using HgCounter.Configuration;
using HgCounter.Inference.Detectors;

namespace HgCounter.Runtime.Configuration;

/// <summary>
/// Class labels in the configuration are ones the detector has: the classes of a model and of a camera are classes of the
/// model file, and a line's classes are ones its camera keeps (otherwise the line could never count). Model files are
/// read once each; one that cannot be read is left to the camera, which reports why it cannot start.
/// </summary>
internal static class ClassRules
{
    public static void Check(HgCounterOptions options, List<string> failures)
    {
        var onnx = options.Detectors.Onnx;
        var classNames = new Dictionary<string, IReadOnlyList<string>?>(StringComparer.Ordinal);
        bool? runtimeLoads = null;
        IReadOnlyList<string>? NamesOf(string? path)
        {
            if (string.IsNullOrWhiteSpace(path) || !File.Exists(path))
            {
                return null; // DetectorRules reports a missing file
            }

            // Without ONNX Runtime's native library no file can be read: the start-up's native check names the package to add.
            runtimeLoads ??= OnnxNativeRuntime.TryCheck(out _, out _);
            if (runtimeLoads == false)
            {
                return null;
            }

            if (!classNames.TryGetValue(path, out var names))
            {
                try
                {
                    names = OnnxYoloModel.ReadClassNames(path);
                }
                catch (ModelLoadException)
                {
                    names = null;
                }

                classNames[path] = names;
            }

            return names;
        }

        var usesDefault = options.Cameras.Any(c => c is not null && DetectorRules.IsOnnx(c) && c.Model is null);
        if (usesDefault)
        {
            CheckLabels($"{DetectorRules.OnnxKey}:Classes", onnx.Classes, onnx.ModelPath, NamesOf(onnx.ModelPath), failures);
        }

        foreach (var (name, model) in onnx.Models)
        {
            if (model is not null && options.Cameras.Any(c => c is not null && DetectorRules.IsOnnx(c) && string.Equals(c.Model, name, StringComparison.OrdinalIgnoreCase)))
            {
                CheckLabels($"{DetectorRules.OnnxKey}:Models:{name}:Classes", model.Classes, model.ModelPath, NamesOf(model.ModelPath), failures);
            }
        }

        for (var i = 0; i < options.Cameras.Count; i++)
        {
            if (options.Cameras[i] is not { } camera)
            {
                continue;
            }

            var key = $"{HgCounterOptions.SectionName}:Cameras:{i}";
            if (!DetectorRules.IsOnnx(camera))
            {
                if (string.Equals(camera.Detector, "motion", StringComparison.OrdinalIgnoreCase))
                {
                    var label = string.IsNullOrWhiteSpace(options.Detectors.Motion.Label) ? "object" : options.Detectors.Motion.Label;
                    CheckLineLabels(key, camera, [label], "the motion detector reports every object as", failures);
                }

                continue;
            }

            OnnxModelOptions? named = null;
            if (camera.Model is not null && !onnx.Models.TryGetValue(camera.Model, out named))
            {
                continue; // DetectorRules reports the unknown name
            }

            var path = named is null ? onnx.ModelPath : named.ModelPath;
            var names = NamesOf(path);
            if (names is null)
            {
                continue;
            }

            CheckLabels($"{key}:Classes", camera.Classes, path, names, failures);
            var kept = camera.Classes.Count > 0 ? camera.Classes : named is null ? onnx.Classes : named.Classes;
            CheckLineLabels(key, camera, kept.Count > 0 ? [.. kept] : names, kept.Count > 0 ? "the camera keeps only" : $"model '{Path.GetFileName(path)}' has only", failures);
        }
    }

    private static void CheckLabels(string key, IList<string> labels, string? path, IReadOnlyList<string>? names, List<string> failures)
    {
        if (names is null)
        {
            return;
        }

        for (var j = 0; j < labels.Count; j++)
        {
            if (!Contains(names, labels[j]))
            {
                failures.Add($"{key}:{j}: '{labels[j]}' is not a class of model '{Path.GetFileName(path)}'; its classes are: {string.Join(", ", names)}.");
            }
        }
    }

    private static void CheckLineLabels(string cameraKey, CameraOptions camera, IReadOnlyList<string> kept, string keptPhrase, List<string> failures)
    {
        for (var l = 0; l < camera.Lines.Count; l++)
        {
            if (camera.Lines[l] is not { } line)
            {
                continue; // LineRules reports an empty line
            }

            for (var k = 0; k < line.Classes.Count; k++)
            {
                if (!Contains(kept, line.Classes[k]))
                {
                    failures.Add($"{cameraKey}:Lines:{l}:Classes:{k}: the line would never count '{line.Classes[k]}': {keptPhrase} {string.Join(", ", kept)}.");
                }
            }
        }
    }

    private static bool Contains(IReadOnlyList<string> names, string? label) =>
        label is not null && names.Any(n => string.Equals(n, label.Trim(), StringComparison.OrdinalIgnoreCase));
}
