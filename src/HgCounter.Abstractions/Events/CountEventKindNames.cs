namespace HgCounter.Events;

/// <summary>The wire names of <see cref="CountEventKind"/>, as JSON, metrics, count history and sinks write them.</summary>
public static class CountEventKindNames
{
    /// <summary><c>crossing</c>.</summary>
    public const string Crossing = "crossing";

    /// <summary><c>zone-enter</c>.</summary>
    public const string ZoneEnter = "zone-enter";

    /// <summary><c>zone-exit</c>.</summary>
    public const string ZoneExit = "zone-exit";

    /// <summary><c>loiter</c>.</summary>
    public const string Loiter = "loiter";

    /// <summary>The wire name of <paramref name="kind"/>.</summary>
    /// <exception cref="ArgumentOutOfRangeException">Not a defined kind.</exception>
    public static string Of(CountEventKind kind) => kind switch
    {
        CountEventKind.Crossing => Crossing,
        CountEventKind.ZoneEnter => ZoneEnter,
        CountEventKind.ZoneExit => ZoneExit,
        CountEventKind.Loiter => Loiter,
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "Not a count event kind."),
    };
}
