using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace HgCounter.Runtime.Tests.Sinks;

/// <summary>
/// A real webhook receiver (an <see cref="HttpBackend"/>) that verifies <c>X-HgCounter-Signature</c> the way a user's
/// endpoint would, written independently of the sink's signer: an <see cref="HMACSHA256"/> instance over the
/// timestamp header, a dot and the raw body, a constant-time compare, and a 5-minute tolerance on the timestamp.
/// Answers 204 when the request verifies, 401 otherwise.
/// </summary>
internal sealed class SignedWebhookReceiver : IAsyncDisposable
{
    public static readonly TimeSpan Tolerance = TimeSpan.FromMinutes(5);

    private readonly string _secret;

    public SignedWebhookReceiver(string secret)
    {
        _secret = secret;
        Backend.Answer = request => new HttpBackend.Reply(Verify(request, DateTimeOffset.UtcNow) ? 204 : 401);
    }

    public HttpBackend Backend { get; } = new();

    public string Url => Backend.Url;

    public bool Verify(TestHttpEndpoint.RecordedRequest request, DateTimeOffset now) =>
        request.Headers.TryGetValue("X-HgCounter-Timestamp", out var timestamp)
        && request.Headers.TryGetValue("X-HgCounter-Signature", out var signature)
        && Verify(timestamp, signature, request.RawBody, now);

    public bool Verify(string timestamp, string signature, byte[] body, DateTimeOffset now)
    {
        if (!long.TryParse(timestamp, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds)
            || (now - DateTimeOffset.FromUnixTimeSeconds(seconds)).Duration() > Tolerance
            || !signature.StartsWith("sha256=", StringComparison.Ordinal))
        {
            return false;
        }

        using var hmac = new HMACSHA256(Encoding.UTF8.GetBytes(_secret));
        var signed = Encoding.ASCII.GetBytes(timestamp + ".").Concat(body).ToArray();
        var expected = Encoding.ASCII.GetBytes(Convert.ToHexString(hmac.ComputeHash(signed)).ToLowerInvariant());
        return CryptographicOperations.FixedTimeEquals(expected, Encoding.ASCII.GetBytes(signature["sha256=".Length..]));
    }

    public ValueTask DisposeAsync() => Backend.DisposeAsync();
}
