using HgCounter.Rtsp.Ffmpeg;

namespace HgCounter.Rtsp.Tests.Ffmpeg;

public sealed class FfmpegStreamInfoParserTests
{
    // Measured: ffmpeg 5.1 -loglevel verbose reading rtsp_server.py (640x360 h264 at 10 fps) to rawvideo bgr24.
    private static readonly string[] RtspReport =
    [
        "[h264 @ 0x5648] Reinit context to 640x368, pix_fmt: yuv420p",
        "Input #0, rtsp, from 'rtsp://***@127.0.0.1:34967/stream':",
        "  Stream #0:0: Video: h264 (Constrained Baseline), 1 reference frame, yuv420p(tv, smpte170m, progressive, center), 640x360 (640x368) [SAR 1:1 DAR 16:9], 10 fps, 10 tbr, 90k tbn",
        "  Stream #0:0 -> #0:0 (h264 (native) -> rawvideo (native))",
        "[h264 @ 0x5649] Reinit context to 640x368, pix_fmt: yuv420p",
        "Output #0, rawvideo, to 'pipe:1':",
        "  Stream #0:0: Video: rawvideo, 1 reference frame (BGR[24] / 0x18524742), bgr24(pc, gbr/smpte170m/smpte170m, progressive, center), 640x360 (0x0) [SAR 1:1 DAR 16:9], q=2-31, 55296 kb/s, 10 fps, 10 tbn",
    ];

    [Fact]
    public void Accept_MeasuredReport_GivesCodecRateAndOutputSize()
    {
        var parser = new FfmpegStreamInfoParser();

        var changes = RtspReport.Count(parser.Accept);

        changes.Should().Be(0);
        parser.Should().BeEquivalentTo(new { Codec = "h264", FramesPerSecond = 10.0, Width = 640, Height = 360, SourceWidth = 640, SourceHeight = 360, HasOutput = true });
    }

    [Fact]
    public void Accept_ScaledDownReport_GivesSourceAndDeliveredSize()
    {
        // Measured: ffmpeg 5.1 decoding a 1280x720 30 fps H.264 file with the rate and maximum-size filters.
        string[] report =
        [
            "Input #0, mov,mp4,m4a,3gp,3g2,mj2, from 'src720.mp4':",
            "  Stream #0:0[0x1](und): Video: h264 (High), 1 reference frame (avc1 / 0x31637661), yuv420p(progressive, left), 1280x720 [SAR 1:1 DAR 16:9], 3037 kb/s, 30 fps, 30 tbr, 15360 tbn (default)",
            "[Parsed_scale_1 @ 0x5579d5644140] w:1280 h:720 fmt:yuv420p sar:1/1 -> w:640 h:360 fmt:bgr24 sar:1/1 flags:0x0",
            "Output #0, rawvideo, to 'pipe:1':",
            "  Stream #0:0(und): Video: rawvideo, 1 reference frame (BGR[24] / 0x18524742), bgr24(pc, gbr/unknown/unknown, progressive, left), 640x360 (0x0) [SAR 1:1 DAR 16:9], q=2-31, 165888 kb/s, 30 fps, 30 tbn (default)",
        ];
        var parser = new FfmpegStreamInfoParser();

        foreach (var line in report)
        {
            parser.Accept(line);
        }

        parser.Should().BeEquivalentTo(new { Codec = "h264", FramesPerSecond = 30.0, SourceWidth = 1280, SourceHeight = 720, Width = 640, Height = 360 });
    }

    [Fact]
    public void Accept_BeforeOutputBlock_HasNoOutputYet()
    {
        var parser = new FfmpegStreamInfoParser();

        foreach (var line in RtspReport.Take(4))
        {
            parser.Accept(line);
        }

        parser.HasOutput.Should().BeFalse("OpenAsync must wait for the output size");
    }

    [Fact]
    public void Accept_DecoderReinitialisedAtAnotherSizeAfterOpen_ReportsAChange()
    {
        var parser = new FfmpegStreamInfoParser();
        foreach (var line in RtspReport)
        {
            parser.Accept(line);
        }

        parser.Accept("[h264 @ 0x5649] Reinit context to 640x368, pix_fmt: yuv420p").Should().BeFalse("same size");
        parser.Accept("[h264 @ 0x5650] Reinit context to 1280x720, pix_fmt: yuv420p").Should().BeTrue();
    }
}
