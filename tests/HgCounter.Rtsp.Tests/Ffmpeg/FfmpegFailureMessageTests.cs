using HgCounter.Frames;
using HgCounter.Rtsp.Ffmpeg;
using HgCounter.Rtsp.Sources;
using HgCounter.Rtsp.Tests.Infrastructure;
using HgCounter.Runtime.Tests.Events;
using HgCounter.Testing;

namespace HgCounter.Rtsp.Tests.Ffmpeg;

/// <summary>
/// What a failed ffmpeg leaves in errors and logs, against a real ffmpeg and a real RTSP server: one line with the
/// classified reason and the few stderr lines that explain it, redacted; never the stream report or exit statistics.
/// </summary>
public sealed class FfmpegFailureMessageTests : IClassFixture<SharedRtspServer>
{
    private readonly SharedRtspServer _servers;

    public FfmpegFailureMessageTests(SharedRtspServer servers) => _servers = servers;

    private static FrameSourceOptions Options(string url) => new()
    {
        CameraName = "cam1",
        Url = url,
        OpenTimeout = TimeSpan.FromSeconds(10),
        ReadTimeout = TimeSpan.FromSeconds(3),
    };

    [Fact]
    public async Task OpenAsync_UnknownMountWithCredentials_OneRedactedLineWithTheServersAnswer()
    {
        var url = _servers.Protected.UrlWithCredentials(SharedRtspServer.User, SharedRtspServer.Password) + "-missing";
        var logs = new LogCapture();
        await using var source = new FfmpegFrameSource(Options(url), logger: logs.For<FfmpegFrameSource>());

        var (error, _) = await SourceAssertions.FailsWithAsync(() => source.OpenAsync(TestContext.Timeout()).AsTask(), FrameSourceErrorKind.NotFound);

        AssertOneShortLine(error.Message);
        error.Message.Should().Contain("404 Not Found").And.Contain("***@127.0.0.1");
        logs.Lines.Should().ContainSingle(l => l.Contains("404", StringComparison.Ordinal))
            .Which.Should().Contain("NotFound").And.NotContain(SharedRtspServer.Password);
    }

    [Fact]
    public async Task OpenAsync_NothingListens_SaysConnectionRefused()
    {
        var url = $"rtsp://{SharedRtspServer.User}:{SharedRtspServer.Password}@127.0.0.1:{FreePort.Next()}/cam";
        await using var source = new FfmpegFrameSource(Options(url));

        var (error, _) = await SourceAssertions.FailsWithAsync(() => source.OpenAsync(TestContext.Timeout()).AsTask(), FrameSourceErrorKind.ConnectionRefused);

        AssertOneShortLine(error.Message);
        error.Message.Should().Contain("Connection refused");
        error.Message.Should().NotContain("Starting connection attempt", "connection progress says nothing about the failure");
    }

    [Fact]
    public async Task ReadAsync_ServerKilledMidStream_FailureCarriesNoExitStatistics()
    {
        await using var server = await RtspServerFixture.StartAsync("--width", "160", "--height", "120", "--fps", "10", "--user", SharedRtspServer.User, "--password", SharedRtspServer.Password);
        var logs = new LogCapture();
        await using var source = new FfmpegFrameSource(Options(server.UrlWithCredentials(SharedRtspServer.User, SharedRtspServer.Password)), logger: logs.For<FfmpegFrameSource>());
        await source.OpenAsync(TestContext.Timeout());
        using (var first = await source.ReadAsync(TestContext.Timeout()))
        {
            first.Should().NotBeNull();
        }

        await server.StopAsync();
        var error = await ReadUntilFailureAsync(source);

        // ffmpeg's verbose report ends in about ten lines of statistics ("frame= ...", "muxing overhead", per-stream totals).
        source.StderrTail.Should().Contain("frame=", "the real ffmpeg did print its exit statistics");
        AssertOneShortLine(error.Message);
        error.Message.Should().Contain("ffmpeg exited");
        var failure = logs.Lines.Should().ContainSingle(l => l.Contains("ffmpeg exited", StringComparison.Ordinal)).Which;
        failure.Should().Contain(nameof(FrameSourceErrorKind.StreamEnded));
        AssertOneShortLine(failure);
    }

    private static async Task<FrameSourceException> ReadUntilFailureAsync(FfmpegFrameSource source)
    {
        var bound = TestContext.Timeout(60);
        while (true)
        {
            bound.ThrowIfCancellationRequested();
            try
            {
                using var frame = await source.ReadAsync(bound);
                frame.Should().NotBeNull("a live stream does not end cleanly");
            }
            catch (FrameSourceException ex) when (ex.Kind != FrameSourceErrorKind.Stalled)
            {
                return ex;
            }
            catch (FrameSourceException)
            {
                // A read timeout while ffmpeg notices the server is gone: keep reading until the exit is reported.
            }
        }
    }

    private static void AssertOneShortLine(string text)
    {
        text.Should().NotContain("\n", "a failure is one log line");
        text.Length.Should().BeLessThan(600, "it carries a few relevant lines, not ffmpeg's report: {0}", text);
        text.Should().NotContain("frame=").And.NotContain("muxing overhead").And.NotContain("Stream mapping")
            .And.NotContain("Statistics:").And.NotContain(SharedRtspServer.Password);
    }
}
