using System.Text.Json;
using HgCounter.Events;
using HgCounter.Runtime.Serialization;

namespace HgCounter.Runtime.Events;

/// <summary>
/// The one wire shape of a count event, shared by the outbox, the JSONL file, the HTTP body and the PostgreSQL columns:
/// snake_case keys (<c>event_id</c>, <c>class_id</c>, <c>worker_id</c> …) and the direction as text.
/// </summary>
internal static class CountEventJson
{
    public static string Serialize(CountEvent countEvent) =>
        JsonSerializer.Serialize(countEvent, HgCounterJsonContext.Default.CountEvent);

    public static byte[] SerializeBatch(IReadOnlyList<CountEvent> batch) =>
        JsonSerializer.SerializeToUtf8Bytes(batch, HgCounterJsonContext.Default.IReadOnlyListCountEvent);

    public static CountEvent Deserialize(string json) =>
        JsonSerializer.Deserialize(json, HgCounterJsonContext.Default.CountEvent)
        ?? throw new JsonException("A count event was null.");
}
