using System.Net;
using System.Net.NetworkInformation;

namespace HgCounter.WorkerSample;

/// <summary>
/// Where the worker listens, read from <c>urls</c>/<c>ASPNETCORE_URLS</c> and <c>Kestrel:Endpoints</c>: whether it is
/// loopback alone (operator actions without a key) and which <c>Host</c> headers it answers (DNS rebinding defence).
/// </summary>
internal sealed class WorkerBinding
{
    public const string DefaultUrl = "http://127.0.0.1:5080";

    private static readonly string[] LoopbackHosts = ["localhost", "127.0.0.1", "[::1]"];

    private WorkerBinding(IReadOnlyList<string> hosts) => Hosts = hosts;

    /// <summary>The host part of each binding (<c>127.0.0.1</c>, <c>[::]</c>, <c>*</c>, <c>worker.example</c>).</summary>
    public IReadOnlyList<string> Hosts { get; }

    public bool IsLoopbackOnly => Hosts.All(IsLoopback);

    public static WorkerBinding From(IConfiguration configuration)
    {
        var urls = (configuration["urls"] ?? string.Empty).Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Concat(configuration.GetSection("Kestrel:Endpoints").GetChildren().Select(e => e["Url"]).OfType<string>())
            .ToList();
        if (urls.Count == 0)
        {
            urls.Add(DefaultUrl);
        }

        return new WorkerBinding(urls.Select(HostOf).ToList());
    }

    /// <summary>
    /// The bind names plus loopback, and <c>AllowedHosts</c> from configuration. A wildcard binding adds this machine's
    /// name and addresses (what a probe or a scraper uses); other names must be listed in <c>AllowedHosts</c>.
    /// </summary>
    public IList<string> AllowedHosts(IConfiguration configuration)
    {
        var allowed = new HashSet<string>(LoopbackHosts, StringComparer.OrdinalIgnoreCase);
        allowed.UnionWith((configuration["AllowedHosts"] ?? string.Empty).Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Where(h => h != "*"));
        foreach (var host in Hosts)
        {
            if (IsWildcard(host))
            {
                allowed.Add(Dns.GetHostName());
                allowed.UnionWith(NetworkInterface.GetAllNetworkInterfaces()
                    .SelectMany(i => i.GetIPProperties().UnicastAddresses)
                    .Select(a => a.Address.IsIPv4MappedToIPv6 ? a.Address.MapToIPv4() : a.Address)
                    .Select(a => a.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6 ? $"[{new IPAddress(a.GetAddressBytes())}]" : a.ToString()));
            }
            else
            {
                allowed.Add(host);
            }
        }

        return [.. allowed];
    }

    private static string HostOf(string url)
    {
        // "http://*:80" and "http://+:80" are not valid URIs; take the authority by hand.
        var rest = url.Contains("://", StringComparison.Ordinal) ? url[(url.IndexOf("://", StringComparison.Ordinal) + 3)..] : url;
        var authority = rest.Split('/')[0];
        if (authority.StartsWith('['))
        {
            return authority[..(authority.IndexOf(']', StringComparison.Ordinal) + 1)];
        }

        var colon = authority.LastIndexOf(':');
        return colon >= 0 ? authority[..colon] : authority;
    }

    private static bool IsWildcard(string host) =>
        host is "*" or "+" or "0.0.0.0" or "[::]";

    private static bool IsLoopback(string host) =>
        string.Equals(host, "localhost", StringComparison.OrdinalIgnoreCase)
        || (IPAddress.TryParse(host.Trim('[', ']'), out var address) && IPAddress.IsLoopback(address));
}
