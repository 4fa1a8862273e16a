using System.ComponentModel.DataAnnotations;
using HgCounter.Security;
using HgCounter.Sinks.Mqtt;

namespace HgCounter.Configuration;

/// <summary>
/// Options of the <c>mqtt</c> sink: publishes count events at QoS 1 to <c>{Prefix}/{camera}/events</c>, retained totals
/// and camera state, an availability topic with a last will, and Home Assistant discovery configs.
/// </summary>
public sealed class MqttSinkOptions : SinkOptions, IValidatableObject
{
    /// <summary>The <see cref="SinkOptions.Type"/> of this sink.</summary>
    public const string SinkType = "mqtt";

    /// <summary>Creates the options with <see cref="SinkOptions.Type"/> set to <see cref="SinkType"/>.</summary>
    public MqttSinkOptions() => Type = SinkType;

    /// <summary>The broker: <c>mqtt://user:pass@host:1883</c>, or <c>mqtts://</c> for TLS (port 8883 by default). Credentials are secret; never logged.</summary>
    public string? Server { get; set; }

    /// <summary>First segment of every topic the sink publishes.</summary>
    public string Prefix { get; set; } = "hgcounter";

    /// <summary>MQTT client id; defaults to <c>hgcounter-{worker id}</c> (plus the sink name when set), stable across restarts.</summary>
    public string? ClientId { get; set; }

    /// <summary>Publishes Home Assistant MQTT discovery configs (retained) so entities appear by themselves.</summary>
    public bool DiscoveryEnabled { get; set; } = true;

    /// <summary>Home Assistant's discovery prefix.</summary>
    public string DiscoveryPrefix { get; set; } = "homeassistant";

    /// <summary>PEM file of the certificate authority that signed the broker's certificate (a private CA); the system's trust store when unset.</summary>
    public string? CaCertificateFile { get; set; }

    /// <summary>Accepts any broker certificate (test brokers with self-signed certificates only: it disables server authentication).</summary>
    public bool AllowUntrustedCertificates { get; set; }

    /// <summary>Least time between two publications of the retained state (totals, camera state): they go out on change, at most this often.</summary>
    [Range(typeof(TimeSpan), "00:00:00.100", "00:10:00")]
    public TimeSpan StateInterval { get; set; } = TimeSpan.FromSeconds(2);

    /// <inheritdoc />
    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (!MqttServerAddress.TryParse(Server, out _, out var error))
        {
            yield return new ValidationResult($"{error} (got '{Redactor.Redact(Server) ?? "nothing"}').", [nameof(Server)]);
        }

        if (!MqttTopics.IsPlainTopic(Prefix))
        {
            yield return new ValidationResult($"'{Prefix}' is not a usable topic prefix: non-empty, no '+', '#' or NUL, not starting or ending with '/'.", [nameof(Prefix)]);
        }

        if (DiscoveryEnabled && !MqttTopics.IsPlainTopic(DiscoveryPrefix))
        {
            yield return new ValidationResult($"'{DiscoveryPrefix}' is not a usable discovery prefix: non-empty, no '+', '#' or NUL, not starting or ending with '/'.", [nameof(DiscoveryPrefix)]);
        }

        if (ClientId is { } clientId && (clientId.Length is 0 or > 256 || clientId.Any(char.IsControl)))
        {
            yield return new ValidationResult("a client id is 1 to 256 characters without control characters.", [nameof(ClientId)]);
        }

        if (CaCertificateFile is { } ca && !File.Exists(ca))
        {
            yield return new ValidationResult($"the CA certificate file '{ca}' does not exist.", [nameof(CaCertificateFile)]);
        }
    }
}
