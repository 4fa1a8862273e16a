namespace HgCounter.Runtime.Tests.Agent;

/// <summary>
/// Tests that count frames of a real-time camera per second run alone: beside the other test classes the camera loop
/// falls behind its stream and the latest-frame mailbox replaces frames, which is not what these tests measure.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class RealTimeRateGroup
{
    public const string Name = "real-time rate";
}
