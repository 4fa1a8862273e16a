using HgCounter.Configuration;
using HgCounter.Rtsp.Ffmpeg;
using HgCounter.Rtsp.Sources;

namespace HgCounter.Runtime.Configuration;

/// <summary>What a camera entry needs beyond its annotations: at least one camera, unique valid names, URLs that parse, a working ffmpeg, hardware decoding set consistently.</summary>
internal static class CameraRules
{
    private const string Key = HgCounterOptions.SectionName + ":Cameras";

    public static void Check(IList<CameraOptions> cameras, List<string> failures)
    {
        if (cameras.Count == 0)
        {
            failures.Add($"{Key}: at least one camera is required.");
            return;
        }

        var names = new Dictionary<string, int>(StringComparer.OrdinalIgnoreCase);
        var ffmpegChecks = new Dictionary<string, string?>(StringComparer.Ordinal);
        for (var i = 0; i < cameras.Count; i++)
        {
            if (cameras[i] is not { } camera)
            {
                continue; // the generated validator reports a null entry.
            }

            var key = $"{Key}:{i}";
            NameRule.Check($"{key}:Name", "camera", camera.Name, failures);
            if (!string.IsNullOrWhiteSpace(camera.Name) && !names.TryAdd(camera.Name, i))
            {
                failures.Add($"{key}:Name: duplicate camera name '{camera.Name}' (also {Key}:{names[camera.Name]}:Name).");
            }

            CheckUrl($"{key}:Url", camera.Url, failures);
            for (var f = 0; f < camera.FallbackUrls.Count; f++)
            {
                CheckUrl($"{key}:FallbackUrls:{f}", camera.FallbackUrls[f], failures);
            }

            if (!string.IsNullOrEmpty(camera.HardwareDevice) && string.Equals(camera.HardwareDecode, "none", StringComparison.OrdinalIgnoreCase))
            {
                failures.Add($"{key}:HardwareDevice: a device is set but HardwareDecode is 'none'; set HardwareDecode to vaapi, cuda or qsv, or remove the device.");
            }

            CheckFfmpeg(key, camera, ffmpegChecks, failures);
            LineRules.Check(key, camera, failures);
            ZoneRules.Check(key, camera, failures);
        }
    }

    private static void CheckUrl(string key, string? url, List<string> failures)
    {
        if (string.IsNullOrWhiteSpace(url))
        {
            return; // [Required] reports it.
        }

        if (!SourceLocation.TryParse(url, out _, out var error))
        {
            failures.Add($"{key}: {error}");
        }
    }

    // Only cameras ffmpeg reads need it; each distinct path is run once however many cameras share it.
    private static void CheckFfmpeg(string cameraKey, CameraOptions camera, Dictionary<string, string?> checkedPaths, List<string> failures)
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
}
