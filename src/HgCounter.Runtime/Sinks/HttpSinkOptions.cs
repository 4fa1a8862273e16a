using System.ComponentModel.DataAnnotations;
using HgCounter.Security;

namespace HgCounter.Configuration;

/// <summary>Options of the <c>http</c> sink: POSTs JSON batches to <see cref="Url"/>.</summary>
public sealed class HttpSinkOptions : SinkOptions, IValidatableObject
{
    /// <summary>The <see cref="SinkOptions.Type"/> of this sink.</summary>
    public const string SinkType = "http";

    /// <summary>Creates the options with <see cref="SinkOptions.Type"/> set to <see cref="SinkType"/>.</summary>
    public HttpSinkOptions() => Type = SinkType;

    /// <summary>Endpoint that receives JSON batches (absolute http or https URL).</summary>
    public string? Url { get; set; }

    /// <summary>Extra headers such as <c>apikey</c> or <c>Authorization</c> (secret values; never logged).</summary>
    public IDictionary<string, string> Headers { get; } = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);

    /// <inheritdoc />
    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (!IsHttpUrl(Url, out _))
        {
            yield return new ValidationResult($"an http sink needs an absolute http(s) URL, got '{Redactor.Redact(Url) ?? "nothing"}'.", [nameof(Url)]);
        }
    }

    internal static bool IsHttpUrl(string? value, out Uri url) =>
        Uri.TryCreate(value, UriKind.Absolute, out url!) && (url.Scheme == Uri.UriSchemeHttp || url.Scheme == Uri.UriSchemeHttps);
}
