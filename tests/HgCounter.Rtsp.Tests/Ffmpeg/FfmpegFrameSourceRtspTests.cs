using System.Diagnostics;
using System.Globalization;
using HgCounter.Frames;
using HgCounter.Rtsp.Ffmpeg;
using HgCounter.Rtsp.Sources;
using HgCounter.Rtsp.Tests.Infrastructure;
using HgCounter.Testing;

namespace HgCounter.Rtsp.Tests.Ffmpeg;

/// <summary>FfmpegFrameSource against a real GStreamer RTSP server.</summary>
public sealed class FfmpegFrameSourceRtspTests : IClassFixture<SharedRtspServer>
{
    private static readonly TimeSpan ReadTimeout = TimeSpan.FromSeconds(3);
    // Room for a loaded 2-core machine on top of the promised ReadTimeout: ffmpeg start-up, kill and process reaping.
    private static readonly TimeSpan Margin = TimeSpan.FromSeconds(10);
    private readonly SharedRtspServer _servers;

    public FfmpegFrameSourceRtspTests(SharedRtspServer servers) => _servers = servers;

    private static FrameSourceOptions Options(string url) => new()
    {
        CameraName = "cam1",
        Url = url,
        OpenTimeout = TimeSpan.FromSeconds(10),
        ReadTimeout = ReadTimeout,
    };

    private static string PortMarker(string url) => ":" + new Uri(url).Port.ToString(CultureInfo.InvariantCulture);

    [Fact]
    public async Task ReadAsync_LiveRtspStream_DeliversFramesOfTheStreamSizeInOrder()
    {
        await using var source = new FfmpegFrameSource(Options(_servers.Open.Url));

        var info = await source.OpenAsync(TestContext.Timeout());

        info.Should().BeEquivalentTo(new { Width = 320, Height = 240, Codec = "h264", IsLive = true });
        info.FramesPerSecond.Should().BeApproximately(10, 0.5);
        long last = -1;
        for (var i = 0; i < 15; i++)
        {
            using var frame = await source.ReadAsync(TestContext.Timeout());
            frame.Should().NotBeNull();
            frame!.Width.Should().Be(320);
            frame.Height.Should().Be(240);
            frame.CameraName.Should().Be("cam1");
            frame.Sequence.Should().BeGreaterThan(last);
            frame.Pixels.ToArray().Should().Contain(b => b != 0, "a decoded test scene is not all black");
            last = frame.Sequence;
        }
    }

    [Fact]
    public async Task ReadAsync_ServerKilledMidStream_FailsWithinReadTimeoutAndLeavesNoFfmpeg()
    {
        await using var server = await RtspServerFixture.StartAsync("--width", "160", "--height", "120", "--fps", "10");
        var source = new FfmpegFrameSource(Options(server.Url));
        await using (source)
        {
            await source.OpenAsync(TestContext.Timeout());
            (await source.ReadAsync(TestContext.Timeout()))!.Dispose();

            await server.StopAsync();
            var clock = Stopwatch.StartNew();
            var error = (await source.Invoking(DrainAsync).Should().ThrowAsync<FrameSourceException>()).Which;

            clock.Elapsed.Should().BeLessThan(ReadTimeout + Margin);
            error.Kind.Should().BeOneOf(FrameSourceErrorKind.StreamEnded, FrameSourceErrorKind.Stalled);
        }

        await SourceAssertions.NoChildProcessLeftAsync(PortMarker(server.Url));
    }

    [Fact]
    public async Task OpenAsync_AfterServerRestart_ReadsTheStreamAgain()
    {
        await using var server = await RtspServerFixture.StartAsync("--width", "160", "--height", "120", "--fps", "10");
        await using (var first = new FfmpegFrameSource(Options(server.Url)))
        {
            await first.OpenAsync(TestContext.Timeout());
            (await first.ReadAsync(TestContext.Timeout()))!.Dispose();
            await server.StopAsync();
            await first.Invoking(DrainAsync).Should().ThrowAsync<FrameSourceException>();
        }

        await server.RestartAsync();
        await using var second = new FfmpegFrameSource(Options(server.Url));
        await second.OpenAsync(TestContext.Timeout());
        using var frame = await second.ReadAsync(TestContext.Timeout());

        frame.Should().NotBeNull();
        frame!.Width.Should().Be(160);
    }

    [Fact]
    public async Task ReadAsync_ConsumerSlowerThanCamera_DropsOldFramesAndKeepsLatencyBounded()
    {
        await using var source = await StartStreamingAsync();

        using var before = await source.ReadAsync(TestContext.Timeout());
        var pauseStarted = DateTimeOffset.UtcNow;
        await Task.Delay(TimeSpan.FromSeconds(2));
        using var after = await source.ReadAsync(TestContext.Timeout());

        source.DroppedFrames.Should().BeGreaterThan(5, "about 20 frames arrived while the consumer was busy; only the latest is kept");
        (after!.Sequence - before!.Sequence).Should().BeGreaterThan(5, "the next frame is the newest one, not the next queued one");
        after.Timestamp.Should().BeAfter(pauseStarted, "an old frame is never handed out after a pause: the one handed out arrived during it");
    }

    [Fact]
    public async Task OpenAsync_WrongPassword_FailsUnauthorizedWithoutLeakingIt()
    {
        var url = _servers.Protected.UrlWithCredentials(SharedRtspServer.User, "wrong-pass-42");
        await using var source = new FfmpegFrameSource(Options(url));

        var (error, _) = await SourceAssertions.FailsWithAsync(() => source.OpenAsync(TestContext.Timeout()).AsTask(), FrameSourceErrorKind.Unauthorized);

        error.ToString().Should().NotContain("wrong-pass-42");
        source.DisplayName.Should().NotContain("wrong-pass-42");
        await SourceAssertions.NoChildProcessLeftAsync(PortMarker(url));
    }

    [Fact]
    public async Task OpenAsync_RightPassword_ReadsFramesAndKeepsItOutOfDiagnostics()
    {
        var url = _servers.Protected.UrlWithCredentials(SharedRtspServer.User, SharedRtspServer.Password);
        await using var source = new FfmpegFrameSource(Options(url));

        await source.OpenAsync(TestContext.Timeout());
        using var frame = await source.ReadAsync(TestContext.Timeout());

        frame.Should().NotBeNull();
        source.DisplayName.Should().NotContain(SharedRtspServer.Password).And.Contain("***@127.0.0.1");
        source.StderrTail.Should().NotContain(SharedRtspServer.Password);
    }

    [Fact]
    public async Task OpenAsync_UnknownMount_FailsNotFound()
    {
        await using var source = new FfmpegFrameSource(Options(_servers.Open.Url + "-missing"));

        await SourceAssertions.FailsWithAsync(() => source.OpenAsync(TestContext.Timeout()).AsTask(), FrameSourceErrorKind.NotFound);
    }

    [Fact]
    public async Task OpenAsync_NothingListening_FailsConnectionRefused()
    {
        var url = "rtsp://127.0.0.1:" + FreePort().ToString(CultureInfo.InvariantCulture) + "/stream";
        await using var source = new FfmpegFrameSource(Options(url));

        await SourceAssertions.FailsWithAsync(() => source.OpenAsync(TestContext.Timeout()).AsTask(), FrameSourceErrorKind.ConnectionRefused);
    }

    [Theory]
    [InlineData("rtsp")]
    [InlineData("http")]
    public async Task OpenAsync_ServerAcceptsButNeverAnswers_TimesOutWithinTimeoutAndLeavesNoFfmpeg(string scheme)
    {
        await using var stall = await StallServer.StartAsync();
        var url = $"{scheme}://127.0.0.1:{stall.Port}/stream";
        var options = Options(url);
        options.OpenTimeout = TimeSpan.FromSeconds(2);
        options.ReadTimeout = TimeSpan.FromSeconds(2);
        await using var source = new FfmpegFrameSource(options);

        var (_, elapsed) = await SourceAssertions.FailsWithAsync(() => source.OpenAsync(TestContext.Timeout()).AsTask(), FrameSourceErrorKind.Timeout);

        elapsed.Should().BeLessThan(options.ReadTimeout + Margin);
        await SourceAssertions.NoChildProcessLeftAsync(PortMarker(url));
    }

    [Fact]
    public async Task ReadAsync_DecoderFrozenMidStream_FailsStalledWithinReadTimeoutAndKillsIt()
    {
        await using var source = await StartStreamingAsync();
        var pid = source.ProcessId!.Value;
        // SIGSTOP: the process and its socket stay open but nothing arrives, like a camera that hangs without closing.
        await ProcessSignals.StopAsync(pid);

        var (_, elapsed) = await SourceAssertions.FailsWithAsync(() => DrainAsync(source), FrameSourceErrorKind.Stalled);

        elapsed.Should().BeLessThan(ReadTimeout + Margin);
        (await ProcessTable.WaitForExitAsync(pid, TimeSpan.FromSeconds(10))).Should().BeTrue("a stalled ffmpeg is killed");
    }

    [Fact]
    public async Task DisposeAsync_WhileStreaming_KillsFfmpeg()
    {
        var source = await StartStreamingAsync();
        var pid = source.ProcessId!.Value;

        await source.DisposeAsync();

        ProcessTable.IsAlive(pid).Should().BeFalse("the ffmpeg process is gone after dispose");
    }

    [Fact]
    public async Task ReadAsync_Cancelled_ThrowsAndStopsFfmpeg()
    {
        await using var source = await StartStreamingAsync();
        var pid = source.ProcessId!.Value;
        using var cts = new CancellationTokenSource();
        await cts.CancelAsync();

        await source.Invoking(async s => await s.ReadAsync(cts.Token)).Should().ThrowAsync<OperationCanceledException>();
        (await ProcessTable.WaitForExitAsync(pid, TimeSpan.FromSeconds(10))).Should().BeTrue("a cancelled read stops ffmpeg");
    }

    /// <summary>An open source on the shared server that has delivered its first frame.</summary>
    private async Task<FfmpegFrameSource> StartStreamingAsync()
    {
        var source = new FfmpegFrameSource(Options(_servers.Open.Url));
        await source.OpenAsync(TestContext.Timeout());
        (await source.ReadAsync(TestContext.Timeout()))!.Dispose();
        return source;
    }

    private static async Task DrainAsync(FfmpegFrameSource source)
    {
        while (true)
        {
            using var frame = await source.ReadAsync(TestContext.Timeout(60));
            if (frame is null)
            {
                return;
            }
        }
    }

    private static int FreePort()
    {
        using var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        return ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
    }
}
