using HgCounter.Frames;
using HgCounter.Rtsp.Ffmpeg;

namespace HgCounter.Rtsp.Tests.Ffmpeg;

public sealed class FfmpegErrorClassifierTests
{
    // Lines measured with Debian's ffmpeg 5.1 against rtsp_server.py, stall_server.py and bad files.
    [Theory]
    [InlineData("rtsp://***@127.0.0.1:40973/cam: Server returned 401 Unauthorized (authorization failed)", FrameSourceErrorKind.Unauthorized)]
    [InlineData("rtsp://127.0.0.1:34967/streamxx: Server returned 404 Not Found", FrameSourceErrorKind.NotFound)]
    [InlineData("rtsp://127.0.0.1:1/x: Connection refused", FrameSourceErrorKind.ConnectionRefused)]
    [InlineData("http://127.0.0.1:41779/x: Connection timed out", FrameSourceErrorKind.Timeout)]
    [InlineData("t.mp4: Invalid data found when processing input", FrameSourceErrorKind.NotVideo)]
    [InlineData("nofile.mp4: No such file or directory", FrameSourceErrorKind.NotFound)]
    [InlineData("[h264 @ 0x55] error while decoding MB 3 4", FrameSourceErrorKind.StreamEnded)]
    public void Classify_MeasuredFfmpegText_GivesTheCause(string stderr, FrameSourceErrorKind expected)
    {
        FfmpegErrorClassifier.Classify(stderr, FrameSourceErrorKind.StreamEnded).Should().Be(expected);
    }
}
