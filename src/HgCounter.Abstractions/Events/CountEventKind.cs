using System.Text.Json.Serialization;

namespace HgCounter.Events;

/// <summary>What a count event reports; on the wire as <c>crossing</c>, <c>zone-enter</c>, <c>zone-exit</c> or <c>loiter</c>.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<CountEventKind>))]
public enum CountEventKind
{
    /// <summary>A track crossed a counting line (the direction says which way).</summary>
    [JsonStringEnumMemberName(CountEventKindNames.Crossing)]
    Crossing = 0,

    /// <summary>A track entered a zone (it stayed inside for the zone's <c>MinFrames</c>).</summary>
    [JsonStringEnumMemberName(CountEventKindNames.ZoneEnter)]
    ZoneEnter,

    /// <summary>A track left a zone, or was lost inside it; the event carries the visit's dwell time.</summary>
    [JsonStringEnumMemberName(CountEventKindNames.ZoneExit)]
    ZoneExit,

    /// <summary>A track has stayed in a zone longer than the zone's <c>LoiterAfter</c>; reported once per visit.</summary>
    [JsonStringEnumMemberName(CountEventKindNames.Loiter)]
    Loiter,
}
