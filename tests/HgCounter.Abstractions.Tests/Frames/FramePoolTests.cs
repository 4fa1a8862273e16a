using HgCounter.Frames;

namespace HgCounter.Abstractions.Tests.Frames;

public class FramePoolTests
{
    [Fact]
    public void Rent_AfterDispose_ReusesSameFrameAndBuffer()
    {
        var pool = new FramePool(2);
        var first = pool.Rent(64, 48, "cam", 0, DateTimeOffset.UnixEpoch);
        var buffer = first.Buffer;
        first.Dispose();

        using var second = pool.Rent(64, 48, "cam", 1, DateTimeOffset.UnixEpoch);

        second.Should().BeSameAs(first);
        second.Buffer.Should().BeSameAs(buffer);
        second.Sequence.Should().Be(1);
        second.Length.Should().Be(64 * 48 * 3);
    }

    [Fact]
    public void Dispose_Twice_ReturnsFrameOnce()
    {
        var pool = new FramePool(4);
        var frame = pool.Rent(8, 8, "cam", 0, default);
        frame.Dispose();
        frame.Dispose();

        using var a = pool.Rent(8, 8, "cam", 1, default);
        using var b = pool.Rent(8, 8, "cam", 2, default);

        a.Should().NotBeSameAs(b, "a frame disposed twice must not be handed out to two renters");
    }

    [Fact]
    public void Rent_LargerSize_GrowsBuffer()
    {
        var pool = new FramePool(1);
        pool.Rent(8, 8, "cam", 0, default).Dispose();
        using var big = pool.Rent(640, 360, "cam", 1, default);
        big.Pixels.Length.Should().Be(640 * 360 * 3);
    }
}
