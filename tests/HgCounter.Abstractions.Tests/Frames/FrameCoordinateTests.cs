using HgCounter.Frames;

namespace HgCounter.Abstractions.Tests.Frames;

public class FrameCoordinateTests
{
    [Fact]
    public void CoordinateScale_FrameScaledDown_RatioPerAxis()
    {
        using var frame = Frame.CreateUnpooled(640, 358);

        frame.SetCoordinateSize(1000, 562);

        frame.IsScaled.Should().BeTrue();
        frame.CoordinateScaleX.Should().Be(1000f / 640);
        frame.CoordinateScaleY.Should().Be(562f / 358, "even rounding makes the two axes differ slightly");
    }

    [Fact]
    public void CoordinateSize_NewFrame_IsTheFrameSizeWithScaleOne()
    {
        using var frame = Frame.CreateUnpooled(320, 240);

        (frame.CoordinateWidth, frame.CoordinateHeight, frame.CoordinateScaleX, frame.CoordinateScaleY).Should().Be((320, 240, 1f, 1f));
        frame.IsScaled.Should().BeFalse();
    }

    [Fact]
    public void Rent_FrameReturnedScaled_CoordinateSizeReset()
    {
        var pool = new FramePool(1);
        var first = pool.Rent(640, 360, "cam", 0, default);
        first.SetCoordinateSize(1280, 720);
        first.Dispose();

        using var second = pool.Rent(640, 360, "cam", 1, default);

        second.Should().BeSameAs(first);
        second.IsScaled.Should().BeFalse("a source that does not scale must not inherit the last renter's coordinate size");
    }

    [Fact]
    public void CopyTo_ScaledFrame_CopiesTheCoordinateSize()
    {
        using var source = Frame.CreateUnpooled(64, 36);
        using var copy = Frame.CreateUnpooled(64, 36);
        source.SetCoordinateSize(128, 72);

        source.CopyTo(copy);

        (copy.CoordinateWidth, copy.CoordinateHeight).Should().Be((128, 72));
    }

    [Fact]
    public void StreamInfo_WithoutCoordinateSize_IsTheDeliveredSize()
    {
        var info = new StreamInfo(640, 360, 10, "h264", true);

        (info.CoordinateWidth, info.CoordinateHeight).Should().Be((640, 360));
        (info with { CoordinateWidth = 1280 }).CoordinateWidth.Should().Be(1280);
    }
}
