using HgCounter.Detection;

namespace HgCounter.Abstractions.Tests.Detection;

public class BoundingBoxTests
{
    [Fact]
    public void IoU_HalfOverlap_IsOneThird() =>
        new BoundingBox(0, 0, 10, 10).IoU(new BoundingBox(5, 0, 10, 10)).Should().BeApproximately(50f / 150f, 1e-5f);

    [Fact]
    public void IoU_Disjoint_IsZero() =>
        new BoundingBox(0, 0, 10, 10).IoU(new BoundingBox(20, 20, 5, 5)).Should().Be(0);

    [Fact]
    public void IoU_Identical_IsOne() =>
        new BoundingBox(3, 4, 10, 20).IoU(new BoundingBox(3, 4, 10, 20)).Should().Be(1);

    [Fact]
    public void AnchorPoint_BottomCenter_IsFeet() =>
        new BoundingBox(10, 20, 30, 60).AnchorPoint(TrackAnchor.BottomCenter).Should().Be(new Point2(25, 80));
}
