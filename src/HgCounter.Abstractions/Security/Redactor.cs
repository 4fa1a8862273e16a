using System.Text.RegularExpressions;

namespace HgCounter.Security;

/// <summary>
/// The one place that removes secrets from text: credentials in URLs (<c>rtsp://user:pass@host</c> →
/// <c>rtsp://***@host</c>), secret-looking query parameters, and <c>Password=</c>-style connection-string values.
/// Every log line, exception, health message and status field that can carry a URL goes through it.
/// </summary>
public static partial class Redactor
{
    /// <summary>What replaces a secret.</summary>
    public const string Mask = "***";

    [GeneratedRegex(@"(?<scheme>\b[a-zA-Z][a-zA-Z0-9+.\-]*://)(?<userinfo>[^/\s@?#]+)@", RegexOptions.CultureInvariant)]
    private static partial Regex UserInfo();

    [GeneratedRegex(@"(?<key>[?&;](?:password|passwd|pwd|pass|token|access_token|apikey|api_key|key|secret|signature|sig|auth|authorization)=)(?<value>[^&\s#;]*)", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex SecretQuery();

    [GeneratedRegex(@"(?<key>\b(?:password|pwd|api[_-]?key|apikey|secret|token)\s*[=:]\s*)(?<value>""[^""]*""|'[^']*'|[^;\s,""'&]+)", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex SecretAssignment();

    [GeneratedRegex(@"(?<key>\b(?:Authorization|apikey|x-api-key)\s*:\s*)(?<value>[^\r\n]+)", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex SecretHeader();

    /// <summary>Redacts one URL or any text that may contain URLs and secrets. Null stays null.</summary>
    public static string? Redact(string? text)
    {
        if (string.IsNullOrEmpty(text))
        {
            return text;
        }

        var result = UserInfo().Replace(text, "${scheme}" + Mask + "@");
        result = SecretQuery().Replace(result, "${key}" + Mask);
        result = SecretHeader().Replace(result, "${key}" + Mask);
        result = SecretAssignment().Replace(result, "${key}" + Mask);
        return result;
    }

    /// <summary>Redacts <paramref name="text"/> and also every occurrence of the given known secrets (e.g. a password that ffmpeg echoed without its URL).</summary>
    public static string RedactWith(string text, IEnumerable<string?> knownSecrets)
    {
        ArgumentNullException.ThrowIfNull(knownSecrets);
        var result = Redact(text) ?? string.Empty;
        foreach (var secret in knownSecrets)
        {
            if (!string.IsNullOrEmpty(secret) && secret.Length >= 3)
            {
                result = result.Replace(secret, Mask, StringComparison.Ordinal);
            }
        }

        return result;
    }

    /// <summary>The secret parts of a URL's user info (<c>user:pass</c> and the password, raw and unescaped), for <see cref="RedactWith"/>; empty when none.</summary>
    public static IReadOnlyList<string> SecretsOf(string? url)
    {
        if (string.IsNullOrEmpty(url) || !Uri.TryCreate(url, UriKind.Absolute, out var uri) || string.IsNullOrEmpty(uri.UserInfo))
        {
            return [];
        }

        var secrets = new List<string> { uri.UserInfo };
        var colon = uri.UserInfo.IndexOf(':', StringComparison.Ordinal);
        if (colon >= 0)
        {
            var password = uri.UserInfo[(colon + 1)..];
            secrets.Add(password);
            secrets.Add(Uri.UnescapeDataString(password));
        }

        return secrets;
    }
}
