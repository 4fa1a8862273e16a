using HgCounter.Frames;
using HgCounter.Rtsp.OpenCv;
using HgCounter.Rtsp.Sources;
using HgCounter.Rtsp.Tests.Infrastructure;
using HgCounter.Testing;
using Microsoft.Extensions.Time.Testing;

namespace HgCounter.Rtsp.Tests.OpenCv;

public sealed class OpenCvFrameSourceTests : IClassFixture<TestClip>
{
    private const string Vtest = "/usr/share/doc/opencv-doc/examples/data/vtest.avi";
    private readonly TestClip _clip;

    public OpenCvFrameSourceTests(TestClip clip) => _clip = clip;

    [Fact]
    public async Task ReadAsync_BatchFile_DeliversEveryFrameThenNull()
    {
        await using var source = new OpenCvFrameSource(new FrameSourceOptions { CameraName = "door", Url = _clip.Path, Realtime = false });

        var info = await source.OpenAsync(TestContext.Timeout());
        var count = 0;
        while (await source.ReadAsync(TestContext.Timeout()) is { } frame)
        {
            using (frame)
            {
                frame.Sequence.Should().Be(count++);
                (frame.Width, frame.Height, frame.CameraName).Should().Be((TestClip.Width, TestClip.Height, "door"));
            }
        }

        (info.Width, info.Height, info.IsLive).Should().Be((TestClip.Width, TestClip.Height, false));
        info.FramesPerSecond.Should().BeApproximately(TestClip.Fps, 0.5);
        count.Should().Be(TestClip.FrameCount);
    }

    [Fact]
    public async Task ReadAsync_RealPedestrianFootage_DecodesNonBlackFrames()
    {
        await using var source = new OpenCvFrameSource(new FrameSourceOptions { Url = Vtest, Realtime = false });

        var info = await source.OpenAsync(TestContext.Timeout());
        using var frame = await source.ReadAsync(TestContext.Timeout());

        (info.Width, info.Height).Should().Be((768, 576));
        frame!.Pixels.ToArray().Average(b => b).Should().BeGreaterThan(20);
    }

    [Fact]
    public async Task ReadAsync_LoopingFile_ContinuesPastTheEnd()
    {
        await using var source = new OpenCvFrameSource(new FrameSourceOptions { Url = _clip.Path, Realtime = false, Loop = true });
        await source.OpenAsync(TestContext.Timeout());

        for (var i = 0; i < TestClip.FrameCount + 10; i++)
        {
            using var frame = await source.ReadAsync(TestContext.Timeout());
            frame.Should().NotBeNull();
        }
    }

    [Fact]
    public async Task ReadAsync_LoopingRealtimeConsumerFallsBehind_SkipsToTheDueFrameAndCountsDrops()
    {
        var time = new FakeTimeProvider();
        await using var source = await StartRealtimeAsync(time, loop: true);

        time.Advance(TimeSpan.FromSeconds(0.4));
        using var frame = await source.ReadAsync(TestContext.Timeout());

        frame!.Sequence.Should().Be(10, "0.4 s at 25 fps is frame 10");
        source.DroppedFrames.Should().Be(9);
    }

    [Fact]
    public async Task ReadAsync_RealtimeFilePlayedOnceConsumerFallsBehind_DeliversTheNextFrameAtOnce()
    {
        var time = new FakeTimeProvider();
        await using var source = await StartRealtimeAsync(time);

        time.Advance(TimeSpan.FromSeconds(0.4));
        using var frame = await source.ReadAsync(TestContext.Timeout());

        frame!.Sequence.Should().Be(1, "a recording is late, never lossy");
        source.DroppedFrames.Should().Be(0);
    }

    [Fact]
    public async Task ReadAsync_RealtimeConsumerAhead_WaitsForTheFrameTime()
    {
        var time = new FakeTimeProvider();
        await using var source = await StartRealtimeAsync(time);

        var next = source.ReadAsync(TestContext.Timeout()).AsTask();
        await Task.Delay(100);
        next.IsCompleted.Should().BeFalse("frame 1 is due 40 ms after frame 0");
        time.Advance(TimeSpan.FromMilliseconds(40));

        using var frame = await next.WaitAsync(TimeSpan.FromSeconds(10));
        frame!.Sequence.Should().Be(1);
    }

    [Fact]
    public async Task OpenAsync_TextFileNamedMp4_FailsNotVideo()
    {
        await using var source = new OpenCvFrameSource(new FrameSourceOptions { Url = _clip.TextFileAsVideo });

        await SourceAssertions.FailsWithAsync(() => source.OpenAsync(TestContext.Timeout()).AsTask(), FrameSourceErrorKind.NotVideo);
    }

    [Fact]
    public async Task OpenAsync_MissingDevice_FailsNotFound()
    {
        await using var source = new OpenCvFrameSource(new FrameSourceOptions { Url = "device:57", OpenTimeout = TimeSpan.FromSeconds(5) });

        await SourceAssertions.FailsWithAsync(() => source.OpenAsync(TestContext.Timeout()).AsTask(), FrameSourceErrorKind.NotFound);
    }

    /// <summary>A realtime source on the test clip, driven by <paramref name="time"/>, that has delivered frame 0.</summary>
    private async Task<OpenCvFrameSource> StartRealtimeAsync(FakeTimeProvider time, bool loop = false)
    {
        var source = new OpenCvFrameSource(new FrameSourceOptions { Url = _clip.Path, Realtime = true, Loop = loop }, timeProvider: time);
        await source.OpenAsync(TestContext.Timeout());
        (await source.ReadAsync(TestContext.Timeout()))!.Dispose();
        return source;
    }
}
