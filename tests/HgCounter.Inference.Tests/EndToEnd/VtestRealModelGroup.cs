namespace HgCounter.Inference.Tests.EndToEnd;

/// <summary>The real-model tests on vtest.avi share one ungated pass.</summary>
[CollectionDefinition(Name)]
public sealed class VtestRealModelGroup : ICollectionFixture<VtestRealModelRun>
{
    public const string Name = "vtest real model";
}
