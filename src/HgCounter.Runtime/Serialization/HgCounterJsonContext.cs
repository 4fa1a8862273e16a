using System.Text.Json;
using System.Text.Json.Serialization;
using HgCounter.Events;
using HgCounter.Health;
using HgCounter.Rtsp.Connection;
using HgCounter.Runtime.Agent;
using HgCounter.Status;

namespace HgCounter.Runtime.Serialization;

/// <summary>
/// The library's one source-generated JSON contract for what it publishes: status snapshots, health, connection tests,
/// the final health report (camelCase, enums as names) and count events (whose keys are fixed on
/// <see cref="CountEvent"/> itself, so the event's wire shape is the same here, in the outbox and in every sink).
/// Hosts reach it through <see cref="HgCounterJson"/>.
/// </summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, UseStringEnumConverter = true)]
[JsonSerializable(typeof(StatusSnapshot))]
[JsonSerializable(typeof(HealthSnapshot))]
[JsonSerializable(typeof(ConnectionTestResult))]
[JsonSerializable(typeof(FinalHealthReport))]
[JsonSerializable(typeof(CountEvent))]
[JsonSerializable(typeof(IReadOnlyList<CountEvent>))]
internal sealed partial class HgCounterJsonContext : JsonSerializerContext;
