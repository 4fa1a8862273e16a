namespace HgCounter.Counting;

/// <summary>In and Out totals.</summary>
public readonly record struct DirectionCount(long In, long Out);
