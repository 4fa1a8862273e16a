using System.Collections;
using System.ComponentModel.DataAnnotations;
using System.Globalization;
using HgCounter.Configuration;
using HgCounter.Inference.Detectors;
using HgCounter.Rtsp.Ffmpeg;
using HgCounter.Rtsp.Sources;
using HgCounter.Security;
using Microsoft.Extensions.Options;

namespace HgCounter.Runtime.Configuration;

/// <summary>
/// Checks the whole <see cref="HgCounterOptions"/> tree at start-up. Every failure names the full configuration key
/// (<c>HgCounter:Cameras:1:Url</c>) and never contains credentials.
/// </summary>
public sealed class HgCounterOptionsValidator : IValidateOptions<HgCounterOptions>
{
    private const string Root = HgCounterOptions.SectionName;
    private readonly IReadOnlyList<DetectorRegistration> _detectors;
    private readonly IReadOnlyList<SinkRegistration> _sinks;

    /// <summary>Creates the validator with the detector names and sink types that are registered.</summary>
    public HgCounterOptionsValidator(IEnumerable<DetectorRegistration> detectors, IEnumerable<SinkRegistration> sinks)
    {
        _detectors = [.. detectors];
        _sinks = [.. sinks];
    }

    /// <inheritdoc />
    public ValidateOptionsResult Validate(string? name, HgCounterOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = new List<string>();
        ValidateAnnotations(options, Root, failures);
        ValidateCameras(options, failures);
        ValidateWatchdog(options.Watchdog, failures);
        ValidateHealth(options.HealthChecks, failures);
        ValidateSinks(options.Events, failures);
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    private void ValidateCameras(HgCounterOptions options, List<string> failures)
    {
        var cameras = options.Cameras;
        if (cameras.Count == 0)
        {
            failures.Add($"{Root}:Cameras: at least one camera is required.");
            return;
        }

        var names = new Dictionary<string, int>(StringComparer.OrdinalIgnoreCase);
        var ffmpegChecks = new Dictionary<string, string?>(StringComparer.Ordinal);
        var modelNeeded = false;
        for (var i = 0; i < cameras.Count; i++)
        {
            var camera = cameras[i];
            var key = $"{Root}:Cameras:{i}";
            if (camera is null)
            {
                failures.Add($"{key}: camera entry is empty.");
                continue;
            }

            ValidateName($"{key}:Name", "camera", camera.Name, failures);
            if (!string.IsNullOrWhiteSpace(camera.Name) && !names.TryAdd(camera.Name, i))
            {
                failures.Add($"{key}:Name: duplicate camera name '{camera.Name}' (also {Root}:Cameras:{names[camera.Name]}:Name).");
            }

            ValidateUrl($"{key}:Url", camera.Url, failures);
            for (var f = 0; f < camera.FallbackUrls.Count; f++)
            {
                ValidateUrl($"{key}:FallbackUrls:{f}", camera.FallbackUrls[f], failures);
            }

            var detector = _detectors.FirstOrDefault(d => string.Equals(d.Name, camera.Detector, StringComparison.OrdinalIgnoreCase));
            if (detector is null && !string.IsNullOrWhiteSpace(camera.Detector))
            {
                failures.Add($"{key}:Detector: unknown detector '{camera.Detector}'; registered: {string.Join(", ", _detectors.Select(d => d.Name))}.");
            }

            if (!string.IsNullOrEmpty(camera.HardwareDevice) && string.Equals(camera.HardwareDecode, "none", StringComparison.OrdinalIgnoreCase))
            {
                failures.Add($"{key}:HardwareDevice: a device is set but HardwareDecode is 'none'; set HardwareDecode to vaapi, cuda or qsv, or remove the device.");
            }

            modelNeeded |= detector?.RequiresModelFile == true;
            ValidateFfmpeg(key, camera, ffmpegChecks, failures);
            ValidateLines(key, camera, failures);
        }

        if (modelNeeded)
        {
            ValidateModelPath(options.Detectors.Onnx.ModelPath, failures);
        }

        ValidateExecutionProvider(options.Detectors.Onnx, modelNeeded, failures);
    }

    private static void ValidateUrl(string key, string? url, List<string> failures)
    {
        if (string.IsNullOrWhiteSpace(url))
        {
            return; // [Required] already reported it.
        }

        if (!SourceLocation.TryParse(url, out _, out var error))
        {
            failures.Add($"{key}: {error}");
        }
    }

    // Names become metric labels, log scopes, file names and URL path segments (/api/cameras/NAME): a '/' or a control
    // character would split a path or forge a log line.
    private static void ValidateName(string key, string what, string? name, List<string> failures)
    {
        if (string.IsNullOrEmpty(name))
        {
            return; // [Required] already reported it.
        }

        var bad = name.FirstOrDefault(c => c == '/' || char.IsControl(c));
        if (bad != default)
        {
            var shown = bad == '/' ? "'/'" : string.Create(CultureInfo.InvariantCulture, $"control character U+{(int)bad:X4}");
            failures.Add($"{key}: the {what} name contains {shown}; use letters, digits, spaces, '-', '_' or '.'.");
        }
    }

    // Only cameras ffmpeg reads need it; each distinct path is run once however many cameras share it.
    private static void ValidateFfmpeg(string cameraKey, CameraOptions camera, Dictionary<string, string?> checkedPaths, List<string> failures)
    {
        var readByFfmpeg = camera.FallbackUrls.Prepend(camera.Url)
            .Any(url => SourceLocation.TryParse(url, out var location, out _) && location.Kind is SourceKind.Network or SourceKind.File);
        if (!readByFfmpeg || string.IsNullOrWhiteSpace(camera.FfmpegPath))
        {
            return; // [Required] reports an empty path.
        }

        if (!checkedPaths.TryGetValue(camera.FfmpegPath, out var problem))
        {
            problem = FfmpegExecutable.TryCheck(camera.FfmpegPath, out var reason) ? null : reason;
            checkedPaths[camera.FfmpegPath] = problem;
        }

        if (problem is not null)
        {
            failures.Add($"{cameraKey}:FfmpegPath: {problem}");
        }
    }

    private static void ValidateLines(string cameraKey, CameraOptions camera, List<string> failures)
    {
        var names = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        for (var j = 0; j < camera.Lines.Count; j++)
        {
            var line = camera.Lines[j];
            var key = $"{cameraKey}:Lines:{j}";
            if (line is null)
            {
                failures.Add($"{key}: line entry is empty.");
                continue;
            }

            ValidateName($"{key}:Name", "line", line.Name, failures);
            if (!string.IsNullOrWhiteSpace(line.Name) && !names.Add(line.Name))
            {
                failures.Add($"{key}:Name: duplicate line name '{line.Name}' in camera '{camera.Name}'.");
            }

            var startOk = IsPoint($"{key}:Start", line.Start, failures);
            var endOk = IsPoint($"{key}:End", line.End, failures);
            if (startOk && endOk && line.Start[0] == line.End[0] && line.Start[1] == line.End[1])
            {
                failures.Add($"{key}: Start and End are the same point [{Format(line.Start)}]; a line needs two distinct points.");
            }
        }
    }

    private static bool IsPoint(string key, float[]? point, List<string> failures)
    {
        if (point is null || point.Length != 2)
        {
            failures.Add($"{key}: expected a point [x, y] in source pixels, got {(point is null ? "nothing" : $"{point.Length} value(s)")}.");
            return false;
        }

        if (!float.IsFinite(point[0]) || !float.IsFinite(point[1]))
        {
            failures.Add($"{key}: coordinates must be finite numbers.");
            return false;
        }

        return true;
    }

    private static string Format(float[] point) => string.Join(", ", point.Select(v => v.ToString(CultureInfo.InvariantCulture)));

    private static void ValidateModelPath(string? modelPath, List<string> failures)
    {
        var key = $"{Root}:Detectors:Onnx:ModelPath";
        if (string.IsNullOrWhiteSpace(modelPath))
        {
            failures.Add($"{key}: a camera uses the onnx detector, so a model path is required.");
        }
        else if (!File.Exists(modelPath))
        {
            failures.Add($"{key}: model file '{Path.GetFullPath(modelPath)}' does not exist.");
        }
    }

    // A name that is not a provider is always a mistake; a provider that is not here only matters when a camera needs it.
    private static void ValidateExecutionProvider(OnnxDetectorOptions onnx, bool modelNeeded, List<string> failures)
    {
        var key = $"{Root}:Detectors:Onnx:ExecutionProvider";
        if (string.IsNullOrWhiteSpace(onnx.ExecutionProvider))
        {
            return; // [Required] already reported it.
        }

        if (!OnnxExecutionProviders.TryParse(onnx.ExecutionProvider, out var provider))
        {
            failures.Add($"{key}: unknown execution provider '{onnx.ExecutionProvider}'; known: {string.Join(", ", OnnxExecutionProviders.Names)}.");
        }
        else if (modelNeeded && !OnnxExecutionProviders.TryCheck(provider, onnx.DeviceId, out var problem))
        {
            failures.Add($"{key}: '{onnx.ExecutionProvider}' cannot be used: {problem}");
        }
    }

    private static void ValidateWatchdog(WatchdogOptions watchdog, List<string> failures)
    {
        if (watchdog.MaxBackoff < watchdog.InitialBackoff)
        {
            failures.Add($"{Root}:Watchdog:MaxBackoff: {watchdog.MaxBackoff} is less than InitialBackoff {watchdog.InitialBackoff}.");
        }
    }

    private static void ValidateHealth(HealthCheckOptions health, List<string> failures)
    {
        if (health.DiskErrorPercent < health.DiskWarningPercent)
        {
            failures.Add($"{Root}:HealthChecks:DiskErrorPercent: {health.DiskErrorPercent} is below DiskWarningPercent {health.DiskWarningPercent}.");
        }

        if (health.MemoryErrorPercent < health.MemoryWarningPercent)
        {
            failures.Add($"{Root}:HealthChecks:MemoryErrorPercent: {health.MemoryErrorPercent} is below MemoryWarningPercent {health.MemoryWarningPercent}.");
        }
    }

    // Each sink's options validate themselves (SinkOptionsValidation); the walk below leaves them out.
    private void ValidateSinks(EventOptions events, List<string> failures) =>
        failures.AddRange(SinkOptionsValidation.Validate(events.Sinks, _sinks));

    /// <summary>Runs the DataAnnotations of an options object and of every nested options object and list, naming full keys.</summary>
    private static void ValidateAnnotations(object instance, string key, List<string> failures)
    {
        var results = new List<ValidationResult>();
        Validator.TryValidateObject(instance, new ValidationContext(instance), results, validateAllProperties: true);
        foreach (var result in results)
        {
            var member = result.MemberNames.FirstOrDefault();
            var message = Redactor.Redact(result.ErrorMessage);
            failures.Add(member is null ? $"{key}: {message}" : $"{key}:{member}: {message}");
        }

        foreach (var property in instance.GetType().GetProperties())
        {
            if (property.GetIndexParameters().Length > 0)
            {
                continue;
            }

            var value = property.GetValue(instance);
            if (value is null || value is string || !IsOptionsType(value.GetType()) && value is not IList)
            {
                continue;
            }

            if (value is IList list)
            {
                for (var i = 0; i < list.Count; i++)
                {
                    if (list[i] is { } item && IsOptionsType(item.GetType()))
                    {
                        ValidateAnnotations(item, $"{key}:{property.Name}:{i}", failures);
                    }
                }
            }
            else
            {
                ValidateAnnotations(value, $"{key}:{property.Name}", failures);
            }
        }
    }

    private static bool IsOptionsType(Type type) => type.Namespace == typeof(HgCounterOptions).Namespace && type.IsClass && !type.IsAssignableTo(typeof(SinkOptions));
}
