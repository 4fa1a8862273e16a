using HgCounter.Frames;
using HgCounter.Rtsp.Ffmpeg;
using HgCounter.Rtsp.Sources;
using HgCounter.Rtsp.Tests.Infrastructure;
using HgCounter.Testing;

namespace HgCounter.Rtsp.Tests.Ffmpeg;

/// <summary>FfmpegFrameSource reading recordings.</summary>
public sealed class FfmpegFrameSourceFileTests : IClassFixture<TestClip>
{
    private readonly TestClip _clip;

    public FfmpegFrameSourceFileTests(TestClip clip) => _clip = clip;

    [Fact]
    public async Task ReadAsync_BatchFile_DeliversEveryFrameThenNull()
    {
        var source = new FfmpegFrameSource(new FrameSourceOptions { Url = _clip.Path, Realtime = false });
        await using (source)
        {
            var info = await source.OpenAsync(TestContext.Timeout());
            info.IsLive.Should().BeFalse();

            var sequences = new List<long>();
            while (await source.ReadAsync(TestContext.Timeout()) is { } frame)
            {
                using (frame)
                {
                    sequences.Add(frame.Sequence);
                    await Task.Yield();
                }
            }

            sequences.Should().Equal(Enumerable.Range(0, TestClip.FrameCount).Select(i => (long)i), "batch reading never drops a frame");
            source.DroppedFrames.Should().Be(0);
            (await source.ReadAsync(TestContext.Timeout())).Should().BeNull("the file stays finished");
        }

        await SourceAssertions.NoChildProcessLeftAsync(_clip.Path);
    }

    [Fact]
    public async Task ReadAsync_LoopingFile_ContinuesPastTheEnd()
    {
        await using var source = new FfmpegFrameSource(new FrameSourceOptions { Url = _clip.Path, Realtime = false, Loop = true });
        (await source.OpenAsync(TestContext.Timeout())).IsLive.Should().BeTrue();

        for (var i = 0; i < TestClip.FrameCount * 2 + 5; i++)
        {
            using var frame = await source.ReadAsync(TestContext.Timeout());
            frame.Should().NotBeNull("a looping file never ends (frame {0})", i);
        }
    }

    [Fact]
    public async Task ReadAsync_RequestedWidthOnly_ScalesKeepingAspect()
    {
        await using var source = new FfmpegFrameSource(new FrameSourceOptions { Url = _clip.Path, Realtime = false, Width = 160 });

        var info = await source.OpenAsync(TestContext.Timeout());
        using var frame = await source.ReadAsync(TestContext.Timeout());

        (info.Width, info.Height).Should().Be((160, 120));
        (frame!.Width, frame.Height).Should().Be((160, 120));
    }

    [Fact]
    public async Task ReadAsync_RealtimeFile_TakesAboutTheClipDuration()
    {
        await using var source = new FfmpegFrameSource(new FrameSourceOptions { Url = _clip.Path, Realtime = true });
        await source.OpenAsync(TestContext.Timeout());
        var clock = System.Diagnostics.Stopwatch.StartNew();

        while (await source.ReadAsync(TestContext.Timeout()) is { } frame)
        {
            frame.Dispose();
        }

        // Paced, not decoded flat out (that takes well under 0.2 s): the clock starts after open has already
        // read ahead, and ffmpeg's -re lets the first frames through at once, so allow half the clip's 2 s.
        clock.Elapsed.Should().BeGreaterThan(TimeSpan.FromSeconds(1), "50 frames at 25 fps play for 2 s at native rate");
    }

    [Fact]
    public async Task ReadAsync_ResolutionChangesMidStream_FailsFrameSizeChanged()
    {
        await using var source = new FfmpegFrameSource(new FrameSourceOptions { Url = _clip.SizeChangeClip, Realtime = false });
        (await source.OpenAsync(TestContext.Timeout())).Width.Should().Be(TestClip.Width);

        var (error, _) = await SourceAssertions.FailsWithAsync(
            async () =>
            {
                while (await source.ReadAsync(TestContext.Timeout()) is { } frame)
                {
                    frame.Dispose();
                }
            },
            FrameSourceErrorKind.FrameSizeChanged);

        error.Message.Should().Contain("160x");
    }
}
