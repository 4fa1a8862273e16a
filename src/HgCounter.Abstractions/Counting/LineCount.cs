namespace HgCounter.Counting;

/// <summary>Totals of one counting line.</summary>
/// <param name="Line">Line name.</param>
/// <param name="In">Crossings in the In direction.</param>
/// <param name="Out">Crossings in the Out direction.</param>
/// <param name="ByClass">In/Out totals per class label.</param>
public sealed record LineCount(string Line, long In, long Out, IReadOnlyDictionary<string, DirectionCount> ByClass);
