using HgCounter.Counting;

namespace HgCounter.Runtime.Evaluation;

/// <summary>A counted crossing paired with a true one of the same line and direction, within the frame tolerance.</summary>
/// <param name="Direction">In or Out.</param>
/// <param name="TruthFrame">Frame of the true crossing.</param>
/// <param name="CountedFrame">Frame of the counted crossing.</param>
/// <param name="TruthId">Ground-truth object id.</param>
/// <param name="TrackId">Id of the track that was counted.</param>
public readonly record struct MatchedCrossing(CrossingDirection Direction, long TruthFrame, long CountedFrame, long TruthId, long TrackId);
