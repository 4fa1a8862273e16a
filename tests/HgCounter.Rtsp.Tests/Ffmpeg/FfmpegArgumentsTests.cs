using HgCounter.Rtsp.Ffmpeg;
using HgCounter.Rtsp.Sources;

namespace HgCounter.Rtsp.Tests.Ffmpeg;

/// <summary>The ffmpeg command lines; what they do to real streams is tested against a real ffmpeg in FfmpegDecoderFilterTests.</summary>
public sealed class FfmpegArgumentsTests
{
    private static readonly SourceLocation Camera = SourceLocation.Parse("rtsp://10.0.0.5:554/stream1");

    private static List<string> Decode(FrameSourceOptions options) => FfmpegArguments.Decode(Camera, options);

    private static string? ValueAfter(List<string> args, string option)
    {
        var index = args.IndexOf(option);
        return index < 0 ? null : args[index + 1];
    }

    [Fact]
    public void Decode_NoRateNoSize_NoFilterAndNoFrameDuplication()
    {
        var args = Decode(new FrameSourceOptions { Url = Camera.Value });

        args.Should().NotContain("-vf");
        ValueAfter(args, "-fps_mode").Should().Be("passthrough", "the rawvideo muxer would otherwise duplicate frames to a constant rate");
        args.IndexOf("-fps_mode").Should().BeGreaterThan(args.IndexOf("-i"), "it is an output option");
        args[^1].Should().Be("pipe:1");
    }

    [Fact]
    public void Decode_TargetFps_DropOnlySelectNotTheFpsFilter()
    {
        var args = Decode(new FrameSourceOptions { Url = Camera.Value, TargetFps = 12.5 });

        var filters = ValueAfter(args, "-vf");
        filters.Should().StartWith("select='").And.Contain("*12.5+0.5").And.NotContain("fps=");
    }

    [Fact]
    public void Decode_RequestedSizeOnly_ScaleAsBefore()
    {
        ValueAfter(Decode(new FrameSourceOptions { Url = Camera.Value, Width = 640 }), "-vf").Should().Be("scale=640:-2");
        ValueAfter(Decode(new FrameSourceOptions { Url = Camera.Value, Width = 640, Height = 480 }), "-vf").Should().Be("scale=640:480");
    }

    [Fact]
    public void Decode_RateRequestedSizeAndMaximum_SelectThenOneScaleFilter()
    {
        var args = Decode(new FrameSourceOptions { Url = Camera.Value, TargetFps = 10, Width = 1280, MaxWidth = 640, MaxHeight = 640 });

        var filters = ValueAfter(args, "-vf")!;
        filters.Should().StartWith("select=");
        var scale = filters[filters.IndexOf(",scale=", StringComparison.Ordinal)..];
        scale.Should().Be(",scale=w='trunc((1280)*min(1,min(640/(1280),640/(round(1280*ih/iw/2)*2)))/2+1e-6)*2':h='trunc((round(1280*ih/iw/2)*2)*min(1,min(640/(1280),640/(round(1280*ih/iw/2)*2)))/2+1e-6)*2'");
        filters.Split("scale=").Should().HaveCount(2, "one scale filter, after the frames are dropped");
    }

    [Fact]
    public void Decode_WidthLimitOnly_FactorFromTheWidth()
    {
        FfmpegArguments.Scale(new FrameSourceOptions { Url = Camera.Value, MaxWidth = 640 })
            .Should().Be("scale=w='trunc((iw)*min(1,640/(iw))/2+1e-6)*2':h='trunc((ih)*min(1,640/(iw))/2+1e-6)*2'");
    }

    [Theory]
    [InlineData("vaapi", "/dev/dri/renderD128")]
    [InlineData("cuda", null)]
    [InlineData("qsv", null)]
    public void Decode_HardwareDecode_HwaccelBeforeTheInputWithoutOutputFormat(string method, string? device)
    {
        var args = Decode(new FrameSourceOptions { Url = Camera.Value, HardwareDecode = method, HardwareDevice = device });

        ValueAfter(args, "-hwaccel").Should().Be(method);
        args.IndexOf("-hwaccel").Should().BeLessThan(args.IndexOf("-i"), "-hwaccel is an input option");
        ValueAfter(args, "-hwaccel_device").Should().Be(device);
        args.Should().NotContain("-hwaccel_output_format", "frames must come back to system memory for select, scale and bgr24");
        ValueAfter(args, "-pix_fmt").Should().Be("bgr24");
    }

    [Theory]
    [InlineData(null)]
    [InlineData("none")]
    [InlineData("")]
    public void Decode_NoHardwareDecode_NoHwaccel(string? method)
    {
        var args = Decode(new FrameSourceOptions { Url = Camera.Value, HardwareDecode = method, HardwareDevice = "/dev/dri/renderD128" });

        args.Should().NotContain("-hwaccel").And.NotContain("-hwaccel_device");
    }

    [Fact]
    public void Probe_HardwareDecode_NotUsedForProbing()
    {
        FfmpegArguments.Probe(Camera, new FrameSourceOptions { Url = Camera.Value, HardwareDecode = "vaapi" }).Should().NotContain("-hwaccel");
    }
}
