using System.Globalization;

namespace HgCounter.Security;

/// <summary>
/// The scheme, host and port of a URL, split by <see cref="Redactor"/>'s rules: the user info runs to the last '@', so a
/// password holding '/', ':' or '@' (<c>rtsp://admin:1234/abcd@cam/</c>) never becomes the host or the port, as it does for
/// <see cref="Uri"/>. Carries no credentials.
/// </summary>
/// <param name="Scheme">The scheme, lower case.</param>
/// <param name="Host">The host name or address (an IPv6 address without its brackets).</param>
/// <param name="Port">The port when the URL names one.</param>
public readonly record struct UrlAuthority(string Scheme, string Host, int? Port)
{
    /// <summary>Splits <paramref name="url"/>; false when it has no scheme, no host or a port that is not 1–65535.</summary>
    public static bool TryParse(string? url, out UrlAuthority authority)
    {
        authority = default;
        var schemeEnd = string.IsNullOrEmpty(url) ? -1 : url.IndexOf("://", StringComparison.Ordinal);
        if (schemeEnd <= 0)
        {
            return false;
        }

        var scheme = url![..schemeEnd];
        if (!char.IsAsciiLetter(scheme[0]) || !scheme.All(c => char.IsAsciiLetterOrDigit(c) || c is '+' or '.' or '-'))
        {
            return false;
        }

        var start = schemeEnd + 3;
        var userInfo = Redactor.MatchUserInfo(url);
        if (userInfo.Success && userInfo.Index == 0)
        {
            start = userInfo.Index + userInfo.Length;
        }

        var rest = url.AsSpan(start);
        var end = rest.IndexOfAny('/', '?', '#');
        var hostPort = end < 0 ? rest : rest[..end];
        ReadOnlySpan<char> host;
        ReadOnlySpan<char> port;
        if (hostPort.StartsWith("["))
        {
            var close = hostPort.IndexOf(']');
            if (close < 0)
            {
                return false;
            }

            host = hostPort[1..close];
            var after = hostPort[(close + 1)..];
            if (!after.IsEmpty && after[0] != ':')
            {
                return false;
            }

            port = after.IsEmpty ? [] : after[1..];
        }
        else
        {
            var colon = hostPort.LastIndexOf(':');
            host = colon < 0 ? hostPort : hostPort[..colon];
            port = colon < 0 ? [] : hostPort[(colon + 1)..];
        }

        if (host.IsEmpty || host.ContainsAny(' ', '\t', '@'))
        {
            return false;
        }

        int? portNumber = null;
        if (!port.IsEmpty)
        {
            if (!int.TryParse(port, NumberStyles.None, CultureInfo.InvariantCulture, out var parsed) || parsed is < 1 or > 65535)
            {
                return false;
            }

            portNumber = parsed;
        }

        authority = new UrlAuthority(scheme.ToLowerInvariant(), host.ToString(), portNumber);
        return true;
    }
}
