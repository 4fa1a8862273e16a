using System.Net;
using System.Net.Http.Headers;
using HgCounter.Configuration;
using HgCounter.Events;
using HgCounter.Runtime.Events;
using HgCounter.Security;
using Microsoft.Extensions.Logging;

namespace HgCounter.Runtime.Sinks;

/// <summary>
/// POSTs each batch as a JSON array (snake_case keys, the PostgreSQL sink's column names) to
/// <see cref="HttpSinkOptions.Url"/> with the configured headers (e.g. <c>apikey</c>, <c>Authorization</c>) and
/// <c>Prefer: resolution=ignore-duplicates</c>, so a PostgREST / Supabase REST endpoint ignores resent ids.
/// 2xx is delivered; 408, 425, 429, 5xx, timeouts and network errors are transient (429/503 honour <c>Retry-After</c>);
/// 400, 409, 413 and 422 reject the data (the outbox looks for the event at fault); redirects are never followed (a POST
/// would turn into a body-less GET and the headers would go to another host), so 3xx, like 401/403/404/405 and any
/// other 4xx, is a configuration error: retried, never poisoned. With <see cref="HttpSinkOptions.Secret"/> each request
/// carries a <see cref="WebhookSignature"/> (a retry is signed afresh with its own timestamp).
/// </summary>
internal sealed class HttpSink : ICountEventSink, IDisposable
{
    private const int MaxBodyInMessage = 300;

    private readonly HttpClient _client;
    private readonly Uri _url;
    private readonly string _safeUrl;
    private readonly KeyValuePair<string, string>[] _headers;
    private readonly string[] _secrets;
    private readonly WebhookSignature? _signature;
    private readonly TimeProvider _time;
    private readonly TimeSpan _timeout;

    /// <summary>Creates the sink; it owns its <see cref="HttpClient"/>.</summary>
    public HttpSink(HttpSinkOptions options, ILogger<HttpSink> logger, TimeProvider timeProvider)
        : this(options, logger, timeProvider, handler: null)
    {
    }

    /// <summary>Creates the sink over <paramref name="handler"/> (e.g. with a proxy or client certificate); the sink does not dispose it.</summary>
    public HttpSink(HttpSinkOptions options, ILogger<HttpSink> logger, TimeProvider timeProvider, HttpMessageHandler? handler)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(logger);
        ArgumentNullException.ThrowIfNull(timeProvider);
        Name = options.Name ?? options.Type;
        if (!HttpSinkOptions.IsHttpUrl(options.Url, out var url))
        {
            throw new ArgumentException($"Sink '{Name}': Url must be an absolute http(s) URL, not '{Redactor.Redact(options.Url)}'.", nameof(options));
        }

        if (options.Secret is { Length: < HttpSinkOptions.MinSecretLength })
        {
            throw new ArgumentException($"Sink '{Name}': Secret must be at least {HttpSinkOptions.MinSecretLength} characters.", nameof(options));
        }

        _url = url;
        _safeUrl = Redactor.Redact(url.GetLeftPart(UriPartial.Path)) ?? string.Empty;
        _headers = [.. options.Headers];
        // Whole header values and, for "Bearer <token>"-style values, the credential alone (a server may echo just that).
        _secrets = [.. options.Headers.Values, .. options.Headers.Values.Select(CredentialPart), .. Redactor.SecretsOf(options.Url), options.Secret ?? string.Empty];
        _signature = options.Secret is { } secret ? new WebhookSignature(secret) : null;
        _time = timeProvider;
        _timeout = options.Timeout;
        _client = handler is null
            ? new HttpClient(new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(5), AllowAutoRedirect = false }, disposeHandler: true)
            : new HttpClient(handler, disposeHandler: false);
        _client.Timeout = Timeout.InfiniteTimeSpan; // AttemptTimeout bounds each attempt on the injected clock
    }

    /// <inheritdoc />
    public string Name { get; }

    /// <inheritdoc />
    public async Task DeliverAsync(IReadOnlyList<CountEvent> batch, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(batch);
        if (batch.Count == 0)
        {
            return;
        }

        using var request = new HttpRequestMessage(HttpMethod.Post, _url);
        var body = CountEventJson.SerializeBatch(batch);
        request.Content = new ByteArrayContent(body);
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        request.Headers.TryAddWithoutValidation("Prefer", "resolution=ignore-duplicates,return=minimal");
        foreach (var (key, value) in _headers)
        {
            if (string.Equals(key, "Prefer", StringComparison.OrdinalIgnoreCase))
            {
                request.Headers.Remove("Prefer");
            }

            request.Headers.TryAddWithoutValidation(key, value);
        }

        if (_signature is not null)
        {
            // Signed last, so a configured header of the same name cannot stand in for the signature.
            var timestamp = _time.GetUtcNow().ToUnixTimeSeconds();
            request.Headers.Remove(WebhookSignature.TimestampHeader);
            request.Headers.Remove(WebhookSignature.SignatureHeader);
            request.Headers.TryAddWithoutValidation(WebhookSignature.TimestampHeader, timestamp.ToString(System.Globalization.CultureInfo.InvariantCulture));
            request.Headers.TryAddWithoutValidation(WebhookSignature.SignatureHeader, _signature.Sign(timestamp, body));
        }

        using var attempt = new AttemptTimeout(_timeout, _time, cancellationToken);
        HttpResponseMessage response;
        try
        {
            response = await _client.SendAsync(request, HttpCompletionOption.ResponseContentRead, attempt.Token);
        }
        catch (OperationCanceledException ex) when (attempt.Expired && !cancellationToken.IsCancellationRequested)
        {
            throw Failure($"no answer within {_timeout}", SinkFailureKind.Transient, ex);
        }
        catch (HttpRequestException ex)
        {
            throw Failure(ex.Message, SinkFailureKind.Transient, ex);
        }

        using (response)
        {
            if (response.RequestMessage?.RequestUri is { } answered && answered != _url)
            {
                // A caller's handler followed a redirect: whatever it answered was not a delivery of this POST.
                throw Failure($"{_safeUrl} redirected to {Redactor.Redact(answered.ToString())}; the handler must not follow redirects (AllowAutoRedirect = false) and Url must name the final endpoint", SinkFailureKind.Configuration, inner: null);
            }

            if (response.IsSuccessStatusCode)
            {
                return;
            }

            var status = (int)response.StatusCode;
            if (status is >= 300 and < 400)
            {
                var location = response.Headers.Location is { } target ? Redactor.Redact(target.ToString()) : "(no Location header)";
                throw Failure($"{_safeUrl} answered {status} {response.ReasonPhrase}, a redirect to {location}; redirects are not followed: set Url to the final endpoint", SinkFailureKind.Configuration, inner: null);
            }

            var answer = await ReadBodyAsync(response, attempt.Token);
            var retryAfter = response.StatusCode is HttpStatusCode.TooManyRequests or HttpStatusCode.ServiceUnavailable
                ? RetryAfterOf(response.Headers.RetryAfter, _time.GetUtcNow())
                : null;
            throw Failure($"{_safeUrl} answered {status} {response.ReasonPhrase}: {answer}", Classify(response.StatusCode), inner: null, retryAfter);
        }
    }

    /// <inheritdoc />
    public void Dispose() => _client.Dispose();

    private static string CredentialPart(string headerValue)
    {
        var space = headerValue.IndexOf(' ', StringComparison.Ordinal);
        return space < 0 ? headerValue : headerValue[(space + 1)..].Trim();
    }

    private static async Task<string> ReadBodyAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        try
        {
            var body = await response.Content.ReadAsStringAsync(cancellationToken);
            return body.Length <= MaxBodyInMessage ? body : body[..MaxBodyInMessage] + "…";
        }
        catch (Exception ex) when (ex is HttpRequestException or OperationCanceledException or IOException)
        {
            return "(no body)";
        }
    }

    // Per-event-looking answers are Rejected (the outbox bisects); the server being busy is Transient; any other 4xx
    // (401, 403, 404, 405, 410, 415 ...) is the operator's to fix and must not poison the events.
    internal static SinkFailureKind Classify(HttpStatusCode status) => (int)status switch
    {
        400 or 409 or 413 or 422 => SinkFailureKind.Rejected,
        408 or 425 or 429 or >= 500 => SinkFailureKind.Transient,
        _ => SinkFailureKind.Configuration,
    };

    // Retry-After is either delta-seconds or an HTTP-date; a date in the past means "now".
    internal static TimeSpan? RetryAfterOf(RetryConditionHeaderValue? header, DateTimeOffset now) => header switch
    {
        { Delta: { } delta } => delta,
        { Date: { } date } => date > now ? date - now : TimeSpan.Zero,
        _ => null,
    };

    // A server may echo a header back in its error body: redact every configured header value too.
    private SinkDeliveryException Failure(string detail, SinkFailureKind kind, Exception? inner, TimeSpan? retryAfter = null) =>
        new($"HTTP sink '{Name}' failed: {Redactor.RedactWith(detail, _secrets)}", kind, inner) { RetryAfter = retryAfter };
}
