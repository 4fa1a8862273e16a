using System.Security.Cryptography;
using HgCounter.Frames;
using HgCounter.Rtsp.Ffmpeg;
using HgCounter.Rtsp.Sources;
using HgCounter.Rtsp.Tests.Infrastructure;
using HgCounter.Testing;

namespace HgCounter.Rtsp.Tests.Ffmpeg;

/// <summary>
/// What the decoder's rate and size filters do to real streams, through a real ffmpeg. Files are read as fast as possible
/// (<c>Realtime: false</c>), so the selection depends only on the stream's timestamps, never on this machine's speed.
/// </summary>
public sealed class FfmpegDecoderFilterTests : IClassFixture<DecoderClips>
{
    private readonly DecoderClips _clips;

    public FfmpegDecoderFilterTests(DecoderClips clips) => _clips = clips;

    [Theory]
    [InlineData(30, 90, 29, 31)]
    [InlineData(25, 75, 29, 31)]
    [InlineData(5, 30, 30, 30)]
    public async Task ReadAsync_TargetFps10_DeliversAtMost10PerSecondOfVideoNeverDuplicating(int sourceFps, int sourceFrames, int min, int max)
    {
        var path = sourceFps switch { 30 => _clips.Fps30, 25 => _clips.Fps25, _ => _clips.Fps5 };
        await using var source = new FfmpegFrameSource(new FrameSourceOptions { Url = path, Realtime = false, TargetFps = 10 });

        var info = await source.OpenAsync(TestContext.Timeout());
        var hashes = new List<string>();
        while (await source.ReadAsync(TestContext.Timeout()) is { } frame)
        {
            using (frame)
            {
                hashes.Add(Convert.ToHexString(SHA256.HashData(frame.Pixels)));
            }
        }

        var seconds = (double)sourceFrames / sourceFps;
        hashes.Should().HaveCountGreaterThanOrEqualTo(min).And.HaveCountLessThanOrEqualTo(max, "{0} s of video at 10 fps at most", seconds);
        hashes.Should().OnlyHaveUniqueItems("frames are only dropped, never repeated (every testsrc2 frame differs)");
        info.FramesPerSecond.Should().Be(Math.Min(10, sourceFps), "the delivered rate");
        source.DroppedFrames.Should().Be(0);
    }

    [Fact]
    public async Task ReadAsync_720pSourceWithMaximum640x640_Delivers640x360AndReportsTheSourceSize()
    {
        var (info, frame) = await FirstFrameAsync(new FrameSourceOptions { Url = _clips.Hd, Realtime = false, MaxWidth = 640, MaxHeight = 640 });

        (info.Width, info.Height).Should().Be((640, 360));
        (info.CoordinateWidth, info.CoordinateHeight).Should().Be((1280, 720), "lines stay in the camera's pixels");
        (frame.Width, frame.Height, frame.CoordinateWidth, frame.CoordinateHeight).Should().Be((640, 360, 1280, 720));
        (frame.CoordinateScaleX, frame.CoordinateScaleY).Should().Be((2f, 2f));
    }

    [Fact]
    public async Task ReadAsync_RequestedWidthAndSmallerMaximum_CoordinatesAreTheRequestedPicture()
    {
        var (info, frame) = await FirstFrameAsync(new FrameSourceOptions { Url = _clips.Hd, Realtime = false, Width = 960, MaxWidth = 640 });

        (info.Width, info.Height, info.CoordinateWidth, info.CoordinateHeight).Should().Be((640, 360, 960, 540));
        (frame.Width, frame.Height).Should().Be((640, 360));
    }

    [Fact]
    public async Task ReadAsync_SourceSmallerThanTheMaximum_NotEnlarged()
    {
        var (info, frame) = await FirstFrameAsync(new FrameSourceOptions { Url = _clips.Fps5, Realtime = false, MaxWidth = 640, MaxHeight = 640 });

        (info.Width, info.Height, info.CoordinateWidth, info.CoordinateHeight).Should().Be((320, 240, 320, 240));
        frame.IsScaled.Should().BeFalse();
        frame.CoordinateScaleX.Should().Be(1f);
    }

    [Fact]
    public async Task OpenAsync_HardwareDecodeWithoutTheDevice_FailsDecoderNotFoundLeavingNoFfmpeg()
    {
        const string device = "/nonexistent/hgcounter-renderD999";
        await using var source = new FfmpegFrameSource(new FrameSourceOptions { Url = _clips.Fps5, Realtime = false, HardwareDecode = "vaapi", HardwareDevice = device });

        var (error, _) = await SourceAssertions.FailsWithAsync(async () => await source.OpenAsync(TestContext.Timeout()), FrameSourceErrorKind.DecoderNotFound);

        error.Message.Should().Contain("Device setup failed");
        await SourceAssertions.NoChildProcessLeftAsync(device);
    }

    /// <summary>Opens a source, reads its first frame and closes it; the frame is a copy (with its coordinate size).</summary>
    private static async Task<(StreamInfo Info, Frame Frame)> FirstFrameAsync(FrameSourceOptions options)
    {
        await using var source = new FfmpegFrameSource(options);
        var info = await source.OpenAsync(TestContext.Timeout());
        using var frame = await source.ReadAsync(TestContext.Timeout());
        var copy = Frame.CreateUnpooled(frame!.Width, frame.Height);
        frame.CopyTo(copy);
        return (info, copy);
    }
}
