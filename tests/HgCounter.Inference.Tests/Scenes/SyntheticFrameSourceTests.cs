using HgCounter.Frames;
using HgCounter.Rtsp.Synthetic;
using HgCounter.Testing;
using Microsoft.Extensions.Time.Testing;

namespace HgCounter.Inference.Tests.Scenes;

public sealed class SyntheticFrameSourceTests
{
    [Fact]
    public async Task ReadAsync_NotRealtime_ReturnsEveryFrameThenNull()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));
        await using var source = SyntheticFrameSource.FromName("detection-gap", "cam1", time, realtime: false);
        var info = await source.OpenAsync(TestContext.Timeout());
        info.Should().Be(new StreamInfo(640, 360, 10, "synthetic", false));
        source.DisplayName.Should().Be("synthetic:detection-gap");

        var sequences = new List<long>();
        DateTimeOffset last = default;
        while (await source.ReadAsync(TestContext.Timeout()) is { } frame)
        {
            using (frame)
            {
                sequences.Add(frame.Sequence);
                frame.CameraName.Should().Be("cam1");
                last = frame.Timestamp;
            }
        }

        sequences.Should().Equal(Enumerable.Range(0, source.Scene.FrameCount).Select(i => (long)i));
        last.Should().Be(time.GetUtcNow().AddSeconds(7.9));
    }

    [Fact]
    public async Task ReadAsync_SameFrameIndex_SamePixelsAsScene()
    {
        var scene = SyntheticScenes.Get("cross-both-ways");
        await using var source = new SyntheticFrameSource(scene, "cam1", TimeProvider.System, realtime: false, pool: new FramePool(2));
        await source.OpenAsync(TestContext.Timeout());
        using var expected = Frame.CreateUnpooled(640, 360);
        scene.Render(40, expected);

        for (var i = 0; i < 40; i++)
        {
            (await source.ReadAsync(TestContext.Timeout()))!.Dispose();
        }

        using var frame = await source.ReadAsync(TestContext.Timeout());
        frame!.Pixels.SequenceEqual(expected.Pixels).Should().BeTrue();
    }

    [Fact]
    public async Task ReadAsync_Loop_ContinuesPastEndWithIncreasingSequence()
    {
        var scene = new SyntheticScene("short", 64, 36, 10, 3, [], []);
        await using var source = new SyntheticFrameSource(scene, "cam1", TimeProvider.System, realtime: false, loop: true);
        (await source.OpenAsync(TestContext.Timeout())).IsLive.Should().BeTrue();

        var sequences = new List<long>();
        for (var i = 0; i < 7; i++)
        {
            using var frame = await source.ReadAsync(TestContext.Timeout());
            sequences.Add(frame!.Sequence);
        }

        sequences.Should().Equal(0, 1, 2, 3, 4, 5, 6);
    }

    [Fact]
    public async Task ReadAsync_Realtime_WaitsForTheNextFrameTime()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));
        await using var source = SyntheticFrameSource.FromName("demo", "cam1", time, realtime: true, loop: true);
        await source.OpenAsync(TestContext.Timeout());
        (await source.ReadAsync(TestContext.Timeout()))!.Dispose();

        var pending = source.ReadAsync(TestContext.Timeout()).AsTask();
        pending.IsCompleted.Should().BeFalse("the second frame is due 100 ms after the first");
        time.Advance(TimeSpan.FromMilliseconds(99));
        pending.IsCompleted.Should().BeFalse();
        time.Advance(TimeSpan.FromMilliseconds(1));
        using var frame = await pending.WaitAsync(TestContext.Timeout());
        frame!.Sequence.Should().Be(1);
        frame.Timestamp.Should().Be(time.GetUtcNow());
    }

    [Fact]
    public async Task ReadAsync_LiveReaderFallsBehind_SkipsToNewestFrameAndCountsDrops()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));
        await using var source = SyntheticFrameSource.FromName("demo", "cam1", time, realtime: true, loop: true);
        await source.OpenAsync(TestContext.Timeout());
        (await source.ReadAsync(TestContext.Timeout()))!.Dispose();

        time.Advance(TimeSpan.FromMilliseconds(550));
        using var frame = await source.ReadAsync(TestContext.Timeout());

        frame!.Sequence.Should().Be(5);
        source.DroppedFrames.Should().Be(4);
    }

    [Fact]
    public async Task ReadAsync_RecordingReaderFallsBehind_GetsEveryFrameLateAndDropsNone()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));
        await using var source = SyntheticFrameSource.FromName("demo", "cam1", time, realtime: true, loop: false);
        await source.OpenAsync(TestContext.Timeout());
        (await source.ReadAsync(TestContext.Timeout()))!.Dispose();

        time.Advance(TimeSpan.FromMilliseconds(550));
        var sequences = new List<long>();
        for (var i = 0; i < 5; i++)
        {
            using var frame = await source.ReadAsync(TestContext.Timeout()).AsTask().WaitAsync(TestContext.Timeout());
            sequences.Add(frame!.Sequence);
        }

        sequences.Should().Equal(1, 2, 3, 4, 5);
        source.DroppedFrames.Should().Be(0);
    }

    [Fact]
    public async Task ReadAsync_BeforeOpen_Throws()
    {
        await using var source = SyntheticFrameSource.FromName("demo", "cam1", TimeProvider.System);
        var act = async () => await source.ReadAsync(TestContext.Timeout());
        await act.Should().ThrowAsync<InvalidOperationException>();
    }
}
