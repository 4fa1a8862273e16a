using HgCounter.Counting;

namespace HgCounter.Runtime.Evaluation;

/// <summary>How well one line of one camera was counted against its ground truth.</summary>
/// <param name="Camera">Camera name.</param>
/// <param name="Line">Line name.</param>
/// <param name="Truth">True crossings per direction.</param>
/// <param name="Counted">Counted crossings per direction.</param>
/// <param name="Error">Absolute error per direction: |counted − truth|.</param>
/// <param name="RelativeError">Absolute error over truth per direction.</param>
/// <param name="Matched">Counted crossings paired with true ones (same direction, within the tolerance).</param>
/// <param name="Missed">True crossings nothing was counted for.</param>
/// <param name="Extra">Counted crossings with no true crossing near them.</param>
public sealed record LineAccuracy(
    string Camera,
    string Line,
    DirectionCount Truth,
    DirectionCount Counted,
    DirectionCount Error,
    RelativeError RelativeError,
    IReadOnlyList<MatchedCrossing> Matched,
    IReadOnlyList<EvaluatedCrossing> Missed,
    IReadOnlyList<EvaluatedCrossing> Extra);
