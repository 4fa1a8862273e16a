using HgCounter.Inference.Counting;

namespace HgCounter.Inference.Tests.EndToEnd;

/// <summary>What one pass over vtest.avi counted.</summary>
public sealed record VtestCount(int Frames, Dictionary<string, (long In, long Out)> Counts, long InferenceRuns, IReadOnlyList<LineCrossing> Crossings);
