using HgCounter.Frames;
using HgCounter.Rtsp.Ffmpeg;
using HgCounter.Rtsp.Sources;
using HgCounter.Rtsp.Tests.Infrastructure;
using HgCounter.Testing;

namespace HgCounter.Rtsp.Tests.Ffmpeg;

/// <summary>Bad inputs fail fast with a typed error and leave no child process.</summary>
public sealed class FfmpegFrameSourceErrorTests : IClassFixture<TestClip>
{
    private readonly TestClip _clip;

    public FfmpegFrameSourceErrorTests(TestClip clip) => _clip = clip;

    [Theory]
    [InlineData("rtsp://user:hunter2@:554/stream", FrameSourceErrorKind.InvalidUrl)]
    [InlineData("rtsp:/missing-slash", FrameSourceErrorKind.InvalidUrl)]
    [InlineData("ftp://user:hunter2@camera.local/video", FrameSourceErrorKind.UnsupportedScheme)]
    [InlineData("/no/such/dir/video.mp4", FrameSourceErrorKind.NotFound)]
    public async Task OpenAsync_BadLocation_FailsWithTypedRedactedError(string url, FrameSourceErrorKind kind)
    {
        await using var source = new FfmpegFrameSource(new FrameSourceOptions { Url = url });

        var (error, _) = await SourceAssertions.FailsWithAsync(() => source.OpenAsync(TestContext.Timeout()).AsTask(), kind);

        error.ToString().Should().NotContain("hunter2");
    }

    [Fact]
    public async Task OpenAsync_FfmpegBinaryMissing_FailsDecoderNotFound()
    {
        var options = new FrameSourceOptions { Url = _clip.Path, FfmpegPath = "/opt/no-such-ffmpeg/bin/ffmpeg" };
        await using var source = new FfmpegFrameSource(options);

        var (error, _) = await SourceAssertions.FailsWithAsync(() => source.OpenAsync(TestContext.Timeout()).AsTask(), FrameSourceErrorKind.DecoderNotFound);

        error.Message.Should().Contain("/opt/no-such-ffmpeg/bin/ffmpeg");
    }

    [Fact]
    public async Task OpenAsync_TextFileNamedMp4_FailsNotVideoAndLeavesNoFfmpeg()
    {
        await using var source = new FfmpegFrameSource(new FrameSourceOptions { Url = _clip.TextFileAsVideo });

        var (error, _) = await SourceAssertions.FailsWithAsync(() => source.OpenAsync(TestContext.Timeout()).AsTask(), FrameSourceErrorKind.NotVideo);

        error.Message.Should().Contain("Invalid data");
        await SourceAssertions.NoChildProcessLeftAsync(_clip.TextFileAsVideo);
    }
}
