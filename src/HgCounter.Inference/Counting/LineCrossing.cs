using HgCounter.Counting;

namespace HgCounter.Inference.Counting;

/// <summary>One track crossing one counting line, as <see cref="LineCounter"/> saw it. The agent turns it into a count event.</summary>
/// <param name="Camera">Camera name.</param>
/// <param name="Line">Line name.</param>
/// <param name="Direction">In or Out.</param>
/// <param name="TrackId">Id of the track that crossed.</param>
/// <param name="ClassId">Class index of the detector.</param>
/// <param name="Label">Class name, e.g. <c>person</c>.</param>
/// <param name="FrameSequence">The counter's frame number on which the crossing was confirmed (monotonic across reconnects).</param>
/// <param name="Timestamp">Capture time of that frame.</param>
public readonly record struct LineCrossing(
    string Camera,
    string Line,
    CrossingDirection Direction,
    long TrackId,
    int ClassId,
    string Label,
    long FrameSequence,
    DateTimeOffset Timestamp);
