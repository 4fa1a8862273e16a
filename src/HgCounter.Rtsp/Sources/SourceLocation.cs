using System.Diagnostics.CodeAnalysis;
using HgCounter.Security;

namespace HgCounter.Rtsp.Sources;

/// <summary>A parsed camera location. <see cref="ToString"/> and <see cref="DisplayName"/> are redacted; <see cref="Value"/> is not.</summary>
public sealed class SourceLocation
{
    /// <summary>URL schemes read through ffmpeg.</summary>
    public static IReadOnlyList<string> NetworkSchemes { get; } = ["rtsp", "rtsps", "http", "https", "rtmp", "rtmps", "srt"];

    private SourceLocation(string value, SourceKind kind, Uri? uri, string? filePath, int? deviceIndex, string? sceneName)
    {
        Value = value;
        Kind = kind;
        Uri = uri;
        FilePath = filePath;
        DeviceIndex = deviceIndex;
        SceneName = sceneName;
        DisplayName = Redactor.Redact(value) ?? string.Empty;
    }

    /// <summary>The location as configured, credentials included: pass it only to the decoder.</summary>
    public string Value { get; }

    /// <summary>The location with credentials redacted; safe to log.</summary>
    public string DisplayName { get; }

    /// <summary>Which source reads it.</summary>
    public SourceKind Kind { get; }

    /// <summary>The parsed URL for network sources.</summary>
    public Uri? Uri { get; }

    /// <summary>The full path for files.</summary>
    public string? FilePath { get; }

    /// <summary>The index for capture devices.</summary>
    public int? DeviceIndex { get; }

    /// <summary>The scene name for synthetic sources.</summary>
    public string? SceneName { get; }

    /// <summary>Parses <paramref name="value"/> or throws <see cref="ArgumentException"/> with a redacted reason.</summary>
    public static SourceLocation Parse(string value) =>
        TryParse(value, out var location, out var error) ? location : throw new ArgumentException(error, nameof(value));

    /// <summary>Parses a camera location; on failure <paramref name="error"/> says why, with credentials redacted.</summary>
    public static bool TryParse(string? value, [NotNullWhen(true)] out SourceLocation? location, [NotNullWhen(false)] out string? error)
    {
        location = null;
        error = null;
        if (string.IsNullOrWhiteSpace(value))
        {
            error = "is empty; expected an rtsp:// URL, a file path, device:N or synthetic:NAME.";
            return false;
        }

        var trimmed = value.Trim();
        if (trimmed.StartsWith("synthetic:", StringComparison.OrdinalIgnoreCase))
        {
            var scene = trimmed["synthetic:".Length..];
            if (scene.Length == 0)
            {
                error = "'synthetic:' needs a scene name, e.g. synthetic:demo.";
                return false;
            }

            location = new SourceLocation(trimmed, SourceKind.Synthetic, null, null, null, scene);
            return true;
        }

        if (trimmed.StartsWith("device:", StringComparison.OrdinalIgnoreCase))
        {
            if (!int.TryParse(trimmed.AsSpan("device:".Length), System.Globalization.CultureInfo.InvariantCulture, out var index) || index < 0)
            {
                error = $"'{Shown(trimmed)}' is not a device; expected device:N with N ≥ 0.";
                return false;
            }

            location = new SourceLocation(trimmed, SourceKind.Device, null, null, index, null);
            return true;
        }

        if (trimmed.StartsWith("/dev/video", StringComparison.Ordinal) && int.TryParse(trimmed.AsSpan("/dev/video".Length), System.Globalization.CultureInfo.InvariantCulture, out var videoIndex))
        {
            location = new SourceLocation(trimmed, SourceKind.Device, null, null, videoIndex, null);
            return true;
        }

        var schemeEnd = trimmed.IndexOf("://", StringComparison.Ordinal);
        if (schemeEnd > 0)
        {
            var scheme = trimmed[..schemeEnd].ToLowerInvariant();
            if (!IsScheme(scheme))
            {
                // Text before "://" that is no scheme (e.g. "user:pass@host://…"): never echo it unmasked.
                error = $"'{Shown(trimmed)}' is not a valid URL (expected scheme://host[:port]/path).";
                return false;
            }

            if (scheme == "file")
            {
                if (!Uri.TryCreate(trimmed, UriKind.Absolute, out var fileUri))
                {
                    error = $"'{Shown(trimmed)}' is not a valid file URL.";
                    return false;
                }

                return TryFile(trimmed, fileUri.LocalPath, out location, out error);
            }

            if (!NetworkSchemes.Contains(scheme))
            {
                error = $"'{Shown(trimmed)}' uses unsupported scheme '{scheme}'; supported: {string.Join(", ", NetworkSchemes)}, file paths, device:N, synthetic:NAME.";
                return false;
            }

            if (!Uri.TryCreate(trimmed, UriKind.Absolute, out var uri) || string.IsNullOrEmpty(uri.Host))
            {
                error = $"'{Shown(trimmed)}' is not a valid {scheme} URL (expected {scheme}://host[:port]/path).";
                return false;
            }

            location = new SourceLocation(trimmed, SourceKind.Network, uri, null, null, null);
            return true;
        }

        if (trimmed.Contains(':', StringComparison.Ordinal) && !Path.IsPathRooted(trimmed) && trimmed.IndexOf(':', StringComparison.Ordinal) > 1)
        {
            error = $"'{Shown(trimmed)}' is not a valid URL or path (a URL needs scheme://host).";
            return false;
        }

        return TryFile(trimmed, trimmed, out location, out error);
    }

    private static bool TryFile(string value, string path, out SourceLocation? location, out string? error)
    {
        location = null;
        error = null;
        string fullPath;
        try
        {
            fullPath = Path.GetFullPath(path);
        }
        catch (Exception ex) when (ex is ArgumentException or NotSupportedException or PathTooLongException)
        {
            error = $"'{Shown(value)}' is not a valid file path: {Redactor.Redact(ex.Message)}";
            return false;
        }

        if (!File.Exists(fullPath))
        {
            error = $"file '{fullPath}' does not exist.";
            return false;
        }

        location = new SourceLocation(value, SourceKind.File, null, fullPath, null, null);
        return true;
    }

    /// <inheritdoc />
    public override string ToString() => DisplayName;

    private static bool IsScheme(string scheme) =>
        scheme.Length > 0 && char.IsAsciiLetter(scheme[0]) && scheme.All(c => char.IsAsciiLetterOrDigit(c) || c is '+' or '.' or '-');

    /// <summary>
    /// <paramref name="value"/> as an error may show it: redacted, and for text that is no URL (a forgotten scheme,
    /// "user:pass@host/x") everything before the last '@' masked too, since it can only be credentials.
    /// </summary>
    private static string Shown(string value)
    {
        var redacted = Redactor.Redact(value) ?? string.Empty;
        var at = redacted.LastIndexOf('@');
        return at < 0 || redacted.Contains("://" + Redactor.Mask + "@", StringComparison.Ordinal) ? redacted : Redactor.Mask + redacted[at..];
    }
}
