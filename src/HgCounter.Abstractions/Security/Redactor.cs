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

    private const int ShortSecretLength = 3;

    // User info runs from "scheme://" to the LAST '@' before whitespace, as ffmpeg splits at the last '@'. A password may hold
    // '@', '/', '#', '?' or ':', so the usual authority end (first '/', '?' or '#') cannot be trusted: masking too much (an '@'
    // in a path hides the host) is safe, masking too little leaks. The run stops before a delimiter that starts another
    // URL ("…","rtsp://…) so several URLs without whitespace between them keep their own hosts. Spaces (a password typed
    // with one) belong to the user info only while an '@' follows on the same line before any '[' (ffmpeg's "[rtsp @ 0x…]"
    // log prefix), so a URL without credentials followed by other words is left alone.
    [GeneratedRegex(@"(?<scheme>\b[a-zA-Z][a-zA-Z0-9+.\-]*://)(?<userinfo>(?:(?![\s""'(),;<>\[\]{}|`][a-zA-Z][a-zA-Z0-9+.\-]*://)(?:\S|(?>[ \t]+)(?=[^\r\n\[\]]*@)))*)@", RegexOptions.CultureInvariant)]
    private static partial Regex UserInfo();

    [GeneratedRegex(@"(?<key>[?&;](?:password|passwd|pwd|pass|token|access_token|apikey|api_key|key|secret|signature|sig|auth|authorization)=)(?<value>[^&\s#;]*)", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex SecretQuery();

    [GeneratedRegex(@"(?<key>\b(?:password|pwd|api[_-]?key|apikey|secret|token)\s*[=:]\s*)(?<value>""[^""]*""|'[^']*'|[^;\s""'&]+)", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
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
            if (string.IsNullOrEmpty(secret))
            {
                continue;
            }

            // A secret of one to three characters replaced everywhere would eat every "1" of an address; as a whole word it still goes.
            result = secret.Length > ShortSecretLength
                ? result.Replace(secret, Mask, StringComparison.Ordinal)
                : Regex.Replace(result, $@"(?<![\p{{L}}\p{{N}}]){Regex.Escape(secret)}(?![\p{{L}}\p{{N}}])", Mask, RegexOptions.CultureInvariant);
        }

        return result;
    }

    /// <summary>The user info of the first URL in <paramref name="url"/> as <see cref="Redact"/> finds it: from "scheme://" to the last '@'.</summary>
    internal static Match MatchUserInfo(string url) => UserInfo().Match(url);

    /// <summary>The secret parts of a URL's user info (<c>user:pass</c> and the password, raw and unescaped), for <see cref="RedactWith"/>; empty when none.</summary>
    public static IReadOnlyList<string> SecretsOf(string? url)
    {
        // Not System.Uri: it rejects or mis-splits exactly the passwords ('@', '/', '#') that need redacting most.
        var match = string.IsNullOrEmpty(url) ? null : UserInfo().Match(url);
        if (match is not { Success: true })
        {
            return [];
        }

        var userInfo = match.Groups["userinfo"].Value;
        var secrets = new List<string> { userInfo };
        var colon = userInfo.IndexOf(':', StringComparison.Ordinal);
        if (colon >= 0)
        {
            var password = userInfo[(colon + 1)..];
            secrets.Add(password);
            secrets.Add(Uri.UnescapeDataString(password));
        }

        return secrets;
    }
}
