using HgCounter.Configuration;
using HgCounter.Frames;
using HgCounter.Rtsp.Ffmpeg;
using HgCounter.Rtsp.OpenCv;
using HgCounter.Rtsp.Sources;
using HgCounter.Rtsp.Tests.Infrastructure;

namespace HgCounter.Rtsp.Tests.Sources;

public sealed class FrameSourceFactoryTests : IClassFixture<TestClip>
{
    private readonly TestClip _clip;

    public FrameSourceFactoryTests(TestClip clip) => _clip = clip;

    [Fact]
    public async Task Create_NetworkUrl_UsesFfmpegAndRedactsTheName()
    {
        await using var source = new FrameSourceFactory().Create(new FrameSourceOptions { Url = "rtsp://admin:pw123@10.0.0.5:554/stream1" });

        source.Should().BeOfType<FfmpegFrameSource>();
        source.DisplayName.Should().Be("rtsp://***@10.0.0.5:554/stream1");
    }

    [Theory]
    [InlineData(FileDecoder.Ffmpeg, typeof(FfmpegFrameSource))]
    [InlineData(FileDecoder.OpenCv, typeof(OpenCvFrameSource))]
    public async Task Create_File_UsesTheConfiguredDecoder(FileDecoder decoder, Type expected)
    {
        await using var source = new FrameSourceFactory().Create(new FrameSourceOptions { Url = _clip.Path, FileDecoder = decoder });

        source.Should().BeOfType(expected);
    }

    [Fact]
    public async Task Create_Device_UsesOpenCv()
    {
        await using var source = new FrameSourceFactory().Create(new FrameSourceOptions { Url = "device:0" });

        source.Should().BeOfType<OpenCvFrameSource>();
    }

    [Fact]
    public void Create_SyntheticWithoutRegistration_FailsUnsupportedScheme()
    {
        var act = () => new FrameSourceFactory().Create(new FrameSourceOptions { Url = "synthetic:demo" });

        act.Should().Throw<FrameSourceException>().Which.Kind.Should().Be(FrameSourceErrorKind.UnsupportedScheme);
    }

    [Fact]
    public async Task Create_SyntheticWithRegistration_UsesTheRegisteredFactory()
    {
        string? scene = null;
        var expected = new FfmpegFrameSource(new FrameSourceOptions { Url = "synthetic:demo" });
        var factory = new FrameSourceFactory(synthetic: (_, location) =>
        {
            scene = location.SceneName;
            return expected;
        });

        await using var source = factory.Create(new FrameSourceOptions { Url = "synthetic:demo" });

        source.Should().BeSameAs(expected);
        scene.Should().Be("demo");
    }

    [Fact]
    public void Create_CameraAttempts_CycleThroughUrlThenFallbacks()
    {
        var camera = new CameraOptions { Name = "gate", Url = "rtsp://cam-a/main" };
        camera.FallbackUrls.Add("rtsp://cam-a/sub");
        camera.FallbackUrls.Add("rtsp://cam-b/main");
        var factory = new FrameSourceFactory();

        var names = Enumerable.Range(0, 4).Select(attempt => factory.Create(camera, attempt).DisplayName).ToList();

        names.Should().Equal("rtsp://cam-a/main", "rtsp://cam-a/sub", "rtsp://cam-b/main", "rtsp://cam-a/main");
    }

    [Fact]
    public void FromCamera_CopiesTimeoutsTransportAndFilePolicy()
    {
        var camera = new CameraOptions
        {
            Name = "gate",
            Url = "rtsp://cam/x",
            RtspTransport = "udp",
            OpenTimeout = TimeSpan.FromSeconds(7),
            ReadTimeout = TimeSpan.FromSeconds(2),
            Realtime = false,
            Loop = true,
            Width = 640,
        };

        var options = FrameSourceOptions.FromCamera(camera);

        options.Should().BeEquivalentTo(new { CameraName = "gate", Url = "rtsp://cam/x", RtspTransport = "udp", OpenTimeout = TimeSpan.FromSeconds(7), ReadTimeout = TimeSpan.FromSeconds(2), Realtime = false, Loop = true, Width = 640, Height = (int?)null });
    }

    [Theory]
    [InlineData("rtsp://cam/x", true, 10.0)]
    [InlineData("rtsp://cam/x", false, 10.0)]
    [InlineData("clip", true, 10.0)]
    [InlineData("clip", false, null)]
    public void FromCamera_ProcessingRate_DeliveredByTheDecoderExceptForBatchFiles(string url, bool realtime, double? expected)
    {
        var camera = new CameraOptions { Name = "gate", Url = url == "clip" ? _clip.Path : url, Realtime = realtime };

        FrameSourceOptions.FromCamera(camera, processingFps: 10).TargetFps.Should().Be(expected);
        FrameSourceOptions.FromCamera(camera).TargetFps.Should().BeNull("without a processing rate every frame is delivered");
    }

    [Fact]
    public void FromCamera_DetectorSizeAndHardwareDecode_Copied()
    {
        var camera = new CameraOptions { Name = "gate", Url = "rtsp://cam/x", HardwareDecode = "vaapi", HardwareDevice = "/dev/dri/renderD128" };

        var yolo = FrameSourceOptions.FromCamera(camera, maxFrameSize: new FrameSizeHint(640, 640));
        var motion = FrameSourceOptions.FromCamera(camera, maxFrameSize: FrameSizeHint.FromWidth(640));

        (yolo.MaxWidth, yolo.MaxHeight).Should().Be((640, 640));
        (motion.MaxWidth, motion.MaxHeight).Should().Be((640, (int?)null), "an unbounded side is no limit");
        (yolo.HardwareDecode, yolo.HardwareDevice).Should().Be(("vaapi", "/dev/dri/renderD128"));
        FrameSourceOptions.FromCamera(camera).MaxWidth.Should().BeNull();
    }
}
