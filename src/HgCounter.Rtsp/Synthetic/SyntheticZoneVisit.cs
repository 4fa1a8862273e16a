namespace HgCounter.Rtsp.Synthetic;

/// <summary>One true visit of an object to a zone of a <see cref="SyntheticScene"/> (see <see cref="SyntheticScene.ExpectedVisits"/>).</summary>
/// <param name="ObjectIndex">The object, by its index in <see cref="SyntheticScene.Objects"/>.</param>
/// <param name="Label">Its class as the ONNX test model names it.</param>
/// <param name="FirstInsideFrame">First frame of the inside streak that entered.</param>
/// <param name="EnterFrame">Frame on which the visit is confirmed (<c>MinFrames</c> inside).</param>
/// <param name="FirstOutsideFrame">First frame of the outside streak that left; null when the scene ends with the object inside.</param>
/// <param name="ExitFrame">Frame on which leaving is confirmed; null when it is not.</param>
/// <param name="Dwell">From the first inside frame to the first outside frame; null without an exit.</param>
/// <param name="Loiters">Whether the dwell reaches the zone's <c>LoiterAfter</c> on a frame the object is still inside.</param>
internal sealed record SyntheticZoneVisit(int ObjectIndex, string Label, int FirstInsideFrame, int EnterFrame, int? FirstOutsideFrame, int? ExitFrame, TimeSpan? Dwell, bool Loiters);
