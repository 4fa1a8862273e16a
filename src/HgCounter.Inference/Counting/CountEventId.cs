using System.Buffers;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace HgCounter.Inference.Counting;

/// <summary>
/// Deterministic count-event ids: an RFC 9562 version-5 (SHA-1, name-based) UUID of
/// (worker, camera, line, track id, frame sequence). Replaying the same frames after a crash yields the same ids,
/// so sinks that deduplicate on <see cref="HgCounter.Events.CountEvent.EventId"/> store each crossing once.
/// </summary>
public static class CountEventId
{
    /// <summary>The namespace UUID of HgCounter count events.</summary>
    public static readonly Guid Namespace = new("6f1c2b0e-4d1a-5b7e-9c3f-2a8e0d4b6c11");

    // U+001F (unit separator) cannot appear in configured names, so the joined fields are unambiguous.
    private const byte Separator = 0x1F;

    /// <summary>The id of the crossing of <paramref name="line"/> by <paramref name="trackId"/> confirmed on frame <paramref name="sequence"/>.</summary>
    public static Guid Create(string workerId, string camera, string line, long trackId, long sequence)
    {
        ArgumentNullException.ThrowIfNull(workerId);
        ArgumentNullException.ThrowIfNull(camera);
        ArgumentNullException.ThrowIfNull(line);

        var max = 16 + Encoding.UTF8.GetMaxByteCount(workerId.Length + camera.Length + line.Length) + (2 * 20) + 4;
        byte[]? rented = null;
        var buffer = max <= 512 ? stackalloc byte[512] : (rented = ArrayPool<byte>.Shared.Rent(max));
        try
        {
            Namespace.TryWriteBytes(buffer, bigEndian: true, out _);
            var n = 16;
            n += Encoding.UTF8.GetBytes(workerId, buffer[n..]);
            buffer[n++] = Separator;
            n += Encoding.UTF8.GetBytes(camera, buffer[n..]);
            buffer[n++] = Separator;
            n += Encoding.UTF8.GetBytes(line, buffer[n..]);
            buffer[n++] = Separator;
            trackId.TryFormat(buffer[n..], out var written, default, CultureInfo.InvariantCulture);
            n += written;
            buffer[n++] = Separator;
            sequence.TryFormat(buffer[n..], out written, default, CultureInfo.InvariantCulture);
            n += written;

            Span<byte> hash = stackalloc byte[20];
#pragma warning disable CA5350 // RFC 9562 defines version-5 UUIDs with SHA-1; this is an identifier, not a security use.
            SHA1.HashData(buffer[..n], hash);
#pragma warning restore CA5350
            hash[6] = (byte)((hash[6] & 0x0F) | 0x50);
            hash[8] = (byte)((hash[8] & 0x3F) | 0x80);
            return new Guid(hash[..16], bigEndian: true);
        }
        finally
        {
            if (rented is not null)
            {
                ArrayPool<byte>.Shared.Return(rented);
            }
        }
    }
}
