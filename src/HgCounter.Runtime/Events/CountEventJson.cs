using System.Text.Json;
using System.Text.Json.Serialization;
using HgCounter.Events;

namespace HgCounter.Runtime.Events;

/// <summary>
/// The one wire shape of a count event, shared by the outbox, the JSONL file, the HTTP body and the PostgreSQL columns:
/// snake_case keys (<c>event_id</c>, <c>class_id</c>, <c>worker_id</c> …) and the direction as text.
/// </summary>
internal static class CountEventJson
{
    public static string Serialize(CountEvent countEvent) =>
        JsonSerializer.Serialize(countEvent, CountEventJsonContext.Default.CountEvent);

    public static byte[] SerializeBatch(IReadOnlyList<CountEvent> batch) =>
        JsonSerializer.SerializeToUtf8Bytes(batch, CountEventJsonContext.Default.IReadOnlyListCountEvent);

    public static CountEvent Deserialize(string json) =>
        JsonSerializer.Deserialize(json, CountEventJsonContext.Default.CountEvent)
        ?? throw new JsonException("A count event was null.");
}

/// <summary>Source-generated serializer for <see cref="CountEvent"/> (no reflection on the delivery path).</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower, UseStringEnumConverter = true)]
[JsonSerializable(typeof(CountEvent))]
[JsonSerializable(typeof(IReadOnlyList<CountEvent>))]
internal sealed partial class CountEventJsonContext : JsonSerializerContext;
