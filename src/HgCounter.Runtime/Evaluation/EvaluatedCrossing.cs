using HgCounter.Counting;

namespace HgCounter.Runtime.Evaluation;

/// <summary>One crossing of a line, true or counted, as the accuracy report lists it.</summary>
/// <param name="Direction">In or Out.</param>
/// <param name="Frame">1-based frame number on which the crossing was decided.</param>
/// <param name="Id">The ground-truth object id (a true crossing) or the track id (a counted one).</param>
public readonly record struct EvaluatedCrossing(CrossingDirection Direction, long Frame, long Id);
