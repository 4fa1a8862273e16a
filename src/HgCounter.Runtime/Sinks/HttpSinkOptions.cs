using System.ComponentModel.DataAnnotations;
using HgCounter.Security;

namespace HgCounter.Configuration;

/// <summary>Options of the <c>http</c> sink: POSTs JSON batches to <see cref="Url"/>.</summary>
public sealed class HttpSinkOptions : SinkOptions, IValidatableObject
{
    /// <summary>The <see cref="SinkOptions.Type"/> of this sink.</summary>
    public const string SinkType = "http";

    /// <summary>Shortest accepted <see cref="Secret"/>: a shorter one could be guessed offline from one signed request.</summary>
    public const int MinSecretLength = 16;

    /// <summary>Creates the options with <see cref="SinkOptions.Type"/> set to <see cref="SinkType"/>.</summary>
    public HttpSinkOptions() => Type = SinkType;

    /// <summary>Endpoint that receives JSON batches (absolute http or https URL).</summary>
    public string? Url { get; set; }

    /// <summary>Extra headers such as <c>apikey</c> or <c>Authorization</c> (secret values; never logged).</summary>
    public IDictionary<string, string> Headers { get; } = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);

    /// <summary>
    /// When set, every request is signed: <c>X-HgCounter-Timestamp</c> (Unix seconds) and <c>X-HgCounter-Signature:
    /// sha256=</c> the lowercase hex HMAC-SHA256 of <c>"{timestamp}.{body}"</c> keyed with this secret (UTF-8). At least
    /// <see cref="MinSecretLength"/> characters; never logged.
    /// </summary>
    public string? Secret { get; set; }

    /// <inheritdoc />
    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (!IsHttpUrl(Url, out _))
        {
            yield return new ValidationResult($"an http sink needs an absolute http(s) URL, got '{Redactor.Redact(Url) ?? "nothing"}'.", [nameof(Url)]);
        }

        // Only the length is named: the value is a secret. An empty value is refused, not taken as "unsigned", so a
        // blank environment variable cannot switch signing off unnoticed.
        if (Secret is not null && Secret.Length < MinSecretLength)
        {
            yield return new ValidationResult($"the signing secret must be at least {MinSecretLength} characters, got {Secret.Length}; remove it to send unsigned requests.", [nameof(Secret)]);
        }
    }

    internal static bool IsHttpUrl(string? value, out Uri url) =>
        Uri.TryCreate(value, UriKind.Absolute, out url!) && (url.Scheme == Uri.UriSchemeHttp || url.Scheme == Uri.UriSchemeHttps);
}
