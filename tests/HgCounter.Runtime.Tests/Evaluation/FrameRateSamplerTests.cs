using HgCounter.Runtime.Evaluation;

namespace HgCounter.Runtime.Tests.Evaluation;

public sealed class FrameRateSamplerTests
{
    [Fact]
    public void Keep_TenFpsAtThree_TakesFramesEvenlyInTime()
    {
        var sampler = new FrameRateSampler(10, 3);

        Enumerable.Range(0, 21).Where(i => sampler.Keep(i)).Should().Equal(0, 4, 7, 10, 14, 17, 20);
        Enumerable.Range(0, 795).Count(i => sampler.Keep(i)).Should().Be(239, "79.5 s at 3 fps");
        sampler.Rate.Should().BeApproximately(3, 1e-9);
    }

    [Theory]
    [InlineData(10.0, null)]
    [InlineData(10.0, 10.0)]
    [InlineData(10.0, 25.0)]
    [InlineData(0.0, 3.0)]
    public void Keep_NoLowerRate_KeepsEveryFrame(double recorded, double? wanted)
    {
        var sampler = new FrameRateSampler(recorded, wanted);

        Enumerable.Range(0, 50).Should().OnlyContain(i => sampler.Keep(i));
    }
}
