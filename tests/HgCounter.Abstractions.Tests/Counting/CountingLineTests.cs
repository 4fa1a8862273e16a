using HgCounter.Counting;
using HgCounter.Detection;

namespace HgCounter.Abstractions.Tests.Counting;

public class CountingLineTests
{
    private static readonly CountingLine Door = new("door", new Point2(320, 0), new Point2(320, 360));

    [Fact]
    public void SignedDistance_DocumentedExample_LeftIsInSide()
    {
        // Documented convention: for Start (320,0) → End (320,360), moving left → right is In, so left must be the
        // positive ("In starts here") side and right the negative one.
        Door.SignedDistance(new Point2(300, 100)).Should().BeApproximately(20, 1e-4f);
        Door.SignedDistance(new Point2(350, 100)).Should().BeApproximately(-30, 1e-4f);
    }

    [Theory]
    [InlineData(320, 0, 0f)]
    [InlineData(320, 360, 1f)]
    [InlineData(100, 180, 0.5f)]
    [InlineData(400, -36, -0.1f)]
    public void Projection_PointsAlongSegment_AreFractionsOfLength(float x, float y, float expected) =>
        Door.Projection(new Point2(x, y)).Should().BeApproximately(expected, 1e-4f);
}
