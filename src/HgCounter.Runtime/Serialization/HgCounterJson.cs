using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using HgCounter.Events;
using HgCounter.Health;
using HgCounter.Rtsp.Connection;
using HgCounter.Runtime.Agent;
using HgCounter.Status;

namespace HgCounter.Runtime.Serialization;

/// <summary>
/// The JSON contract of what the library publishes, source-generated (no reflection, trimming-safe): status snapshots,
/// health, connection tests and the final report in camelCase with enums as names, and count events in their wire
/// shape (docs/events.md). Hosts serve and parse these with it instead of options of their own, so every host and
/// every reader sees one shape.
/// </summary>
public static class HgCounterJson
{
    /// <summary>The resolver for every type below; put it first in a host's <c>TypeInfoResolverChain</c>.</summary>
    public static IJsonTypeInfoResolver TypeInfoResolver => HgCounterJsonContext.Default;

    /// <summary>The contract's serializer options (read-only): camelCase, enums as names.</summary>
    public static JsonSerializerOptions Options => HgCounterJsonContext.Default.Options;

    /// <summary>A status snapshot, as the worker's <c>/api/status</c> and event stream serve it.</summary>
    public static JsonTypeInfo<StatusSnapshot> StatusSnapshot => HgCounterJsonContext.Default.StatusSnapshot;

    /// <summary>A health check run.</summary>
    public static JsonTypeInfo<HealthSnapshot> HealthSnapshot => HgCounterJsonContext.Default.HealthSnapshot;

    /// <summary>The result of a camera connection test.</summary>
    public static JsonTypeInfo<ConnectionTestResult> ConnectionTestResult => HgCounterJsonContext.Default.ConnectionTestResult;

    /// <summary>The report written when the agent stops.</summary>
    public static JsonTypeInfo<FinalHealthReport> FinalHealthReport => HgCounterJsonContext.Default.FinalHealthReport;

    /// <summary>One count event in its wire shape (snake_case keys, direction as text).</summary>
    public static JsonTypeInfo<CountEvent> CountEvent => HgCounterJsonContext.Default.CountEvent;

    /// <summary>A batch of count events, as the HTTP sink posts it.</summary>
    public static JsonTypeInfo<IReadOnlyList<CountEvent>> CountEventBatch => HgCounterJsonContext.Default.IReadOnlyListCountEvent;
}
