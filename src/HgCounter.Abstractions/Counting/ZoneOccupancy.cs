namespace HgCounter.Counting;

/// <summary>Who is in one zone now.</summary>
/// <param name="Zone">Zone name.</param>
/// <param name="Count">Objects inside (entered and not yet left).</param>
/// <param name="ByClass">Objects inside per class label.</param>
public sealed record ZoneOccupancy(string Zone, int Count, IReadOnlyDictionary<string, int> ByClass);
