using System.Net;
using System.Net.Sockets;
using HgCounter.Configuration;
using HgCounter.Security;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace HgCounter.Reliability.Health;

/// <summary>
/// DNS resolution of <c>DnsHost</c> and a TCP connect to each network camera's host:port (from its URLs), each bounded by
/// <c>NetworkTimeout</c>. A DNS failure or an unreachable camera is Degraded; every camera unreachable is Unhealthy.
/// Messages name camera, host and port only (redacted).
/// </summary>
internal sealed class NetworkHealthCheck : IHealthCheck
{
    private readonly HealthCheckOptions _options;
    private readonly IReadOnlyList<CameraEndpoint> _endpoints;
    private readonly TimeProvider _time;

    /// <summary>Creates the check for the given cameras.</summary>
    public NetworkHealthCheck(HealthCheckOptions options, IEnumerable<CameraOptions> cameras, TimeProvider timeProvider)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(cameras);
        ArgumentNullException.ThrowIfNull(timeProvider);
        _options = options;
        _endpoints = CameraEndpoint.From(cameras);
        _time = timeProvider;
    }

    /// <inheritdoc />
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var dns = string.IsNullOrWhiteSpace(_options.DnsHost) ? null : ResolveAsync(_options.DnsHost, cancellationToken);
        var probes = _endpoints.Select(e => ConnectAsync(e, cancellationToken)).ToList();
        var parts = new List<string>();
        var status = HealthStatus.Healthy;
        if (dns is not null)
        {
            var error = await dns.ConfigureAwait(false);
            parts.Add(error is null ? $"dns {_options.DnsHost} resolved" : $"dns {_options.DnsHost} failed: {error}");
            status = error is null ? status : HealthStatus.Degraded;
        }

        var results = await Task.WhenAll(probes).ConfigureAwait(false);
        var unreachable = results.Where(r => r is not null).ToList();
        if (results.Length > 0)
        {
            parts.Add(unreachable.Count == 0
                ? FormattableString.Invariant($"{results.Length} camera endpoint(s) reachable")
                : FormattableString.Invariant($"{unreachable.Count} of {results.Length} camera endpoint(s) unreachable: {string.Join("; ", unreachable)}"));
            status = unreachable.Count == 0 ? status
                : unreachable.Count == results.Length ? HealthStatus.Unhealthy
                : HealthStatus.Degraded;
        }

        var message = parts.Count == 0 ? "no DNS host and no network cameras configured" : string.Join("; ", parts);
        return new HealthCheckResult(status, Redactor.Redact(message));
    }

    private async Task<string?> ResolveAsync(string host, CancellationToken cancellationToken)
    {
        using var timeout = new CancellationTokenSource(_options.NetworkTimeout, _time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token);
        try
        {
            var addresses = await Dns.GetHostAddressesAsync(host, linked.Token).ConfigureAwait(false);
            return addresses.Length > 0 ? null : "no addresses";
        }
        catch (OperationCanceledException) when (timeout.IsCancellationRequested)
        {
            return FormattableString.Invariant($"timed out after {_options.NetworkTimeout.TotalSeconds:0.#} s");
        }
        catch (SocketException ex)
        {
            return ex.Message;
        }
    }

    private async Task<string?> ConnectAsync(CameraEndpoint endpoint, CancellationToken cancellationToken)
    {
        using var timeout = new CancellationTokenSource(_options.NetworkTimeout, _time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token);
        using var socket = new Socket(SocketType.Stream, ProtocolType.Tcp);
        try
        {
            await socket.ConnectAsync(endpoint.Host, endpoint.Port, linked.Token).ConfigureAwait(false);
            return null;
        }
        catch (OperationCanceledException) when (timeout.IsCancellationRequested)
        {
            return FormattableString.Invariant($"{endpoint} timed out after {_options.NetworkTimeout.TotalSeconds:0.#} s");
        }
        catch (SocketException ex)
        {
            return FormattableString.Invariant($"{endpoint} {ex.SocketErrorCode}");
        }
    }
}
