using HgCounter.Configuration;
using HgCounter.Security;

namespace HgCounter.Reliability.Health;

/// <summary>A camera's TCP host and port, taken from its URL (default port by scheme). Never carries credentials.</summary>
internal readonly record struct CameraEndpoint(string Camera, string Host, int Port)
{
    private static readonly Dictionary<string, int> DefaultPorts = new(StringComparer.OrdinalIgnoreCase)
    {
        ["rtsp"] = 554,
        ["rtsps"] = 322,
        ["http"] = 80,
        ["https"] = 443,
        ["rtmp"] = 1935,
        ["rtmps"] = 443,
    };

    /// <summary>Endpoints of the cameras (main and fallback URLs) that are reached over TCP; files, devices and synthetic sources have none.</summary>
    public static IReadOnlyList<CameraEndpoint> From(IEnumerable<CameraOptions> cameras)
    {
        var endpoints = new List<CameraEndpoint>();
        foreach (var camera in cameras)
        {
            foreach (var url in camera.FallbackUrls.Prepend(camera.Url))
            {
                // The redactor's split, not System.Uri's: a '/' or ':' in the password must not turn into host and port here.
                if (UrlAuthority.TryParse(url?.Trim(), out var authority) && DefaultPorts.TryGetValue(authority.Scheme, out var defaultPort))
                {
                    var endpoint = new CameraEndpoint(camera.Name, authority.Host, authority.Port ?? defaultPort);
                    if (!endpoints.Contains(endpoint))
                    {
                        endpoints.Add(endpoint);
                    }
                }
            }
        }

        return endpoints;
    }

    public override string ToString() => Host.Contains(':', StringComparison.Ordinal)
        ? FormattableString.Invariant($"{Camera} [{Host}]:{Port}")
        : FormattableString.Invariant($"{Camera} {Host}:{Port}");
}
