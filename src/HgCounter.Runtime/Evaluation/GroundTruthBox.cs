using HgCounter.Detection;

namespace HgCounter.Runtime.Evaluation;

/// <summary>One row of a MOTChallenge <c>gt.txt</c>: where object <paramref name="Id"/> is on frame <paramref name="Frame"/>.</summary>
/// <param name="Frame">1-based frame number.</param>
/// <param name="Id">The object's identity, the same on every frame it appears on.</param>
/// <param name="Box">Its box in video pixels.</param>
public readonly record struct GroundTruthBox(long Frame, long Id, BoundingBox Box);
