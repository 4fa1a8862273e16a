using HgCounter.Frames;
using HgCounter.Rtsp.Ffmpeg;
using HgCounter.Rtsp.OpenCv;
using HgCounter.Rtsp.Sources;
using HgCounter.Rtsp.Tests.Infrastructure;
using HgCounter.Testing;

namespace HgCounter.Rtsp.Tests.Sources;

/// <summary>
/// A file played once in real time is a recording: a consumer slower than the clip gets every frame, late, so a replay
/// after a crash counts the same frames (event ids come from frame sequences). A looping file is live and still skips.
/// </summary>
public sealed class RealtimeRecordingTests : IClassFixture<TestClip>
{
    // Twice the clip's 40 ms frame interval: a latest-frame reader would lose about every other frame.
    private static readonly TimeSpan SlowConsumer = TimeSpan.FromMilliseconds(80);
    private readonly TestClip _clip;

    public RealtimeRecordingTests(TestClip clip) => _clip = clip;

    public static TheoryData<FileDecoder> Decoders => [FileDecoder.Ffmpeg, FileDecoder.OpenCv];

    private static IFrameSource Create(FrameSourceOptions options) => options.FileDecoder == FileDecoder.Ffmpeg
        ? new FfmpegFrameSource(options)
        : new OpenCvFrameSource(options);

    [Theory]
    [MemberData(nameof(Decoders))]
    public async Task ReadAsync_RealtimeFilePlayedOnceSlowConsumer_EveryFrameDeliveredNoneDropped(FileDecoder decoder)
    {
        await using var source = Create(new FrameSourceOptions { Url = _clip.Path, Realtime = true, FileDecoder = decoder });
        (await source.OpenAsync(TestContext.Timeout())).IsLive.Should().BeFalse();

        var sequences = new List<long>();
        while (await source.ReadAsync(TestContext.Timeout(60)) is { } frame)
        {
            using (frame)
            {
                sequences.Add(frame.Sequence);
                await Task.Delay(SlowConsumer);
            }
        }

        sequences.Should().Equal(Enumerable.Range(0, TestClip.FrameCount).Select(i => (long)i), "a recording read in real time is paced, never lossy");
        source.DroppedFrames.Should().Be(0);
    }

    [Theory]
    [MemberData(nameof(Decoders))]
    public async Task ReadAsync_LoopingRealtimeFileSlowConsumer_SkipsLikeALiveCamera(FileDecoder decoder)
    {
        await using var source = Create(new FrameSourceOptions { Url = _clip.Path, Realtime = true, Loop = true, FileDecoder = decoder });
        (await source.OpenAsync(TestContext.Timeout())).IsLive.Should().BeTrue();

        for (var read = 0; read < 40 && source.DroppedFrames == 0; read++)
        {
            using var frame = await source.ReadAsync(TestContext.Timeout(60));
            frame.Should().NotBeNull("a looping file never ends");
            await Task.Delay(SlowConsumer);
        }

        source.DroppedFrames.Should().BePositive("a looping file stands for a live camera: late frames are replaced by the latest");
    }
}
