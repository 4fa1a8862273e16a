using System.Buffers;
using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;

namespace HgCounter.Runtime.Sinks;

/// <summary>
/// Signs a webhook body the way receivers verify it: <c>X-HgCounter-Signature: sha256=</c> the lowercase hex
/// HMAC-SHA256 of <c>"{timestamp}.{body}"</c>, with the Unix-seconds timestamp sent in <c>X-HgCounter-Timestamp</c>.
/// The timestamp is inside the MAC, so a captured request cannot be replayed later with a fresh timestamp.
/// </summary>
internal sealed class WebhookSignature
{
    public const string TimestampHeader = "X-HgCounter-Timestamp";
    public const string SignatureHeader = "X-HgCounter-Signature";
    public const string Scheme = "sha256=";

    // Unix seconds fit in 20 characters (long.MinValue with its sign).
    private const int MaxTimestampLength = 20;

    private readonly byte[] _key;

    public WebhookSignature(string secret) => _key = Encoding.UTF8.GetBytes(secret);

    /// <summary>The signature header value for <paramref name="body"/> sent at <paramref name="unixSeconds"/>.</summary>
    public string Sign(long unixSeconds, ReadOnlySpan<byte> body)
    {
        var length = MaxTimestampLength + 1 + body.Length;
        var rented = ArrayPool<byte>.Shared.Rent(length);
        try
        {
            // "{timestamp}.{body}" in one pooled buffer: one HashData call, no per-request HMAC object.
            Utf8Formatter.TryFormat(unixSeconds, rented, out var written);
            rented[written++] = (byte)'.';
            body.CopyTo(rented.AsSpan(written));
            written += body.Length;
            Span<byte> mac = stackalloc byte[HMACSHA256.HashSizeInBytes];
            HMACSHA256.HashData(_key, rented.AsSpan(0, written), mac);
            return string.Concat(Scheme, Convert.ToHexStringLower(mac));
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(rented);
        }
    }
}
