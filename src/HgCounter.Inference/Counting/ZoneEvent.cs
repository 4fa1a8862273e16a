using HgCounter.Events;

namespace HgCounter.Inference.Counting;

/// <summary>One track entering, leaving or loitering in one zone, as <see cref="ZoneCounter"/> saw it. The agent turns it into a count event.</summary>
/// <param name="Camera">Camera name.</param>
/// <param name="Zone">Zone name.</param>
/// <param name="Kind"><see cref="CountEventKind.ZoneEnter"/>, <see cref="CountEventKind.ZoneExit"/> or <see cref="CountEventKind.Loiter"/>.</param>
/// <param name="TrackId">Id of the track.</param>
/// <param name="ClassId">Class index of the detector (the track's majority class when it entered).</param>
/// <param name="Label">Class name, e.g. <c>person</c>.</param>
/// <param name="FrameSequence">The counter's frame number on which the event was confirmed (monotonic across reconnects).</param>
/// <param name="Timestamp">Capture time of that frame.</param>
/// <param name="Dwell">Time in the zone: the visit on exit, so far on loiter, zero on enter.</param>
public readonly record struct ZoneEvent(
    string Camera,
    string Zone,
    CountEventKind Kind,
    long TrackId,
    int ClassId,
    string Label,
    long FrameSequence,
    DateTimeOffset Timestamp,
    TimeSpan Dwell);
