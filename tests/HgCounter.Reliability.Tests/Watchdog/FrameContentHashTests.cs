using HgCounter.Reliability.Watchdog;

namespace HgCounter.Reliability.Tests.Watchdog;

public class FrameContentHashTests
{
    [Fact]
    public void Compute_IdenticalFrames_SameHash()
    {
        var frame = new byte[640 * 480 * 3];
        new Random(1).NextBytes(frame);

        FrameContentHash.Compute(frame).Should().Be(FrameContentHash.Compute(frame.ToArray()));
    }

    [Fact]
    public void Compute_SensorNoiseBetweenFrames_DifferentHash()
    {
        var random = new Random(2);
        var frame = new byte[640 * 480 * 3];
        random.NextBytes(frame);
        var next = frame.ToArray();
        // Live cameras change a few grey levels in many pixels from frame to frame.
        for (var i = 0; i < next.Length; i += 97)
        {
            next[i] ^= 1;
        }

        FrameContentHash.Compute(next).Should().NotBe(FrameContentHash.Compute(frame));
    }

    [Fact]
    public void Compute_DifferentSizesSameBytes_DifferentHash()
    {
        var small = new byte[300];
        var large = new byte[600];

        FrameContentHash.Compute(small).Should().NotBe(FrameContentHash.Compute(large));
    }
}
