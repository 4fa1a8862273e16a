using System.Globalization;

namespace HgCounter.Sinks.Mqtt;

/// <summary>
/// The broker of <c>Server</c>: <c>mqtt://[user[:pass]@]host[:port]</c> or <c>mqtts://…</c>. Not System.Uri: a password
/// may hold '@', '/', '#' or '?'; the user info runs to the last '@', as the redactor splits it, so what it masks is the secret.
/// </summary>
internal sealed record MqttServerAddress(string Host, int Port, bool UseTls, string? UserName, string? Password)
{
    public const int PlainPort = 1883;
    public const int TlsPort = 8883;

    /// <summary>The address without credentials, for logs and errors.</summary>
    public string Display => string.Create(CultureInfo.InvariantCulture, $"{(UseTls ? "mqtts" : "mqtt")}://{(UserName is null ? string.Empty : "***@")}{Host}:{Port}");

    public static bool TryParse(string? value, out MqttServerAddress address, out string error)
    {
        address = null!;
        if (string.IsNullOrWhiteSpace(value))
        {
            error = "an mqtt sink needs the broker as mqtt://host:1883 or mqtts://host:8883";
            return false;
        }

        var separator = value.IndexOf("://", StringComparison.Ordinal);
        var scheme = separator < 0 ? string.Empty : value[..separator].ToLowerInvariant();
        if (scheme is not ("mqtt" or "mqtts"))
        {
            error = "the broker URL must start with mqtt:// or mqtts://";
            return false;
        }

        var rest = value[(separator + 3)..].TrimEnd('/');
        string? user = null, password = null;
        var at = rest.LastIndexOf('@');
        if (at >= 0)
        {
            var userInfo = rest[..at];
            rest = rest[(at + 1)..];
            var colon = userInfo.IndexOf(':', StringComparison.Ordinal);
            user = Uri.UnescapeDataString(colon < 0 ? userInfo : userInfo[..colon]);
            password = colon < 0 ? null : Uri.UnescapeDataString(userInfo[(colon + 1)..]);
        }

        var useTls = scheme == "mqtts";
        var port = useTls ? TlsPort : PlainPort;
        var host = rest;
        var portColon = rest.LastIndexOf(':');
        if (portColon >= 0 && !rest.EndsWith(']'))
        {
            host = rest[..portColon];
            if (!int.TryParse(rest[(portColon + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out port) || port is < 1 or > 65535)
            {
                error = "the broker port must be a number from 1 to 65535";
                return false;
            }
        }

        host = host.Trim('[', ']');
        if (host.Length == 0 || host.Any(c => c is '/' or '?' or '#' or ' ' || char.IsControl(c)))
        {
            error = "the broker URL needs a host name or address (mqtt://host:1883), without a path";
            return false;
        }

        address = new MqttServerAddress(host, port, useTls, string.IsNullOrEmpty(user) ? null : user, password);
        error = string.Empty;
        return true;
    }

    /// <summary>The secrets to remove from any text that may quote them.</summary>
    public IReadOnlyList<string> Secrets => Password is null ? [] : [Password];
}
