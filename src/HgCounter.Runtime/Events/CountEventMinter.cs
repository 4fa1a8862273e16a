using System.Buffers;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using HgCounter.Counting;
using HgCounter.Events;
using HgCounter.Inference.Counting;

namespace HgCounter.Runtime.Events;

/// <summary>
/// Turns one camera's line crossings and zone events into <see cref="CountEvent"/>s, with deterministic ids: an RFC 9562
/// version-5 (SHA-1, name-based) UUID of (id scope, camera, line, track id, frame sequence), for a zone event with the
/// zone as the target and its kind after it (enter and loiter can fall on one frame). Replaying the same frames after a
/// crash yields the same ids, so sinks that deduplicate on <see cref="CountEvent.EventId"/> store each event once.
/// </summary>
/// <param name="workerId">Worker identity written into events and, unless <paramref name="idScope"/> is given, hashed into their ids.</param>
/// <param name="idScope">
/// What scopes event ids instead of the worker id. A live camera never replays its frames, so its ids are scoped to one
/// run of the agent (track ids and frame numbers restart with the process and would otherwise collide with ids of the
/// previous run); a recording replayed after a crash keeps a scope of its own so a recount deduplicates.
/// </param>
internal sealed class CountEventMinter(string workerId, string? idScope = null)
{
    /// <summary>The namespace UUID of HgCounter count events.</summary>
    public static readonly Guid Namespace = new("6f1c2b0e-4d1a-5b7e-9c3f-2a8e0d4b6c11");

    // U+001F (unit separator) cannot appear in configured names, so the joined fields are unambiguous.
    private const byte Separator = 0x1F;

    private readonly string _scope = idScope ?? workerId;

    /// <summary>Worker identity written into events.</summary>
    public string WorkerId { get; } = workerId;

    /// <summary>The event of <paramref name="crossing"/>.</summary>
    public CountEvent Mint(in LineCrossing crossing) => new(
        IdOf(crossing),
        crossing.Camera,
        crossing.Line,
        crossing.Direction,
        crossing.ClassId,
        crossing.Label,
        crossing.TrackId,
        crossing.Timestamp,
        WorkerId);

    /// <summary>The id <see cref="Mint(in LineCrossing)"/> gives the event of <paramref name="crossing"/>.</summary>
    public Guid IdOf(in LineCrossing crossing) => CreateId(_scope, crossing.Camera, crossing.Line, crossing.TrackId, crossing.FrameSequence);

    /// <summary>The event of <paramref name="zoneEvent"/>: the zone is the target, enter and loiter go In and exit Out.</summary>
    public CountEvent Mint(in ZoneEvent zoneEvent) => new(
        CreateId(_scope, zoneEvent.Camera, zoneEvent.Zone, zoneEvent.TrackId, zoneEvent.FrameSequence, zoneEvent.Kind),
        zoneEvent.Camera,
        zoneEvent.Zone,
        zoneEvent.Kind == CountEventKind.ZoneExit ? CrossingDirection.Out : CrossingDirection.In,
        zoneEvent.ClassId,
        zoneEvent.Label,
        zoneEvent.TrackId,
        zoneEvent.Timestamp,
        WorkerId)
    {
        Kind = zoneEvent.Kind,
        Zone = zoneEvent.Zone,
        DwellSeconds = zoneEvent.Kind == CountEventKind.ZoneEnter ? null : Math.Round(zoneEvent.Dwell.TotalSeconds, 3),
    };

    /// <summary>Appends the events of <paramref name="crossings"/>, then of <paramref name="zoneEvents"/>, to <paramref name="events"/>, in order.</summary>
    public void MintAll(List<LineCrossing> crossings, List<CountEvent> events, List<ZoneEvent>? zoneEvents = null)
    {
        foreach (var crossing in crossings)
        {
            events.Add(Mint(crossing));
        }

        if (zoneEvents is null)
        {
            return;
        }

        foreach (var zoneEvent in zoneEvents)
        {
            events.Add(Mint(zoneEvent));
        }
    }

    /// <summary>The id of the crossing of <paramref name="line"/> by <paramref name="trackId"/> confirmed on frame <paramref name="sequence"/>.</summary>
    /// <remarks>A zone event (<paramref name="kind"/> other than a crossing) hashes its kind after the sequence; a crossing's id is what it always was.</remarks>
    public static Guid CreateId(string scope, string camera, string line, long trackId, long sequence, CountEventKind kind = CountEventKind.Crossing)
    {
        ArgumentNullException.ThrowIfNull(scope);
        ArgumentNullException.ThrowIfNull(camera);
        ArgumentNullException.ThrowIfNull(line);

        var max = 16 + Encoding.UTF8.GetMaxByteCount(scope.Length + camera.Length + line.Length) + (2 * 20) + 4 + 2;
        byte[]? rented = null;
        var buffer = max <= 512 ? stackalloc byte[512] : (rented = ArrayPool<byte>.Shared.Rent(max));
        try
        {
            Namespace.TryWriteBytes(buffer, bigEndian: true, out _);
            var n = 16;
            n += Encoding.UTF8.GetBytes(scope, buffer[n..]);
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
            if (kind != CountEventKind.Crossing)
            {
                buffer[n++] = Separator;
                buffer[n++] = (byte)('0' + (int)kind);
            }

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
