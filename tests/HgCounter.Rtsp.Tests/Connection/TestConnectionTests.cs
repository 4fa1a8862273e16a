using System.Diagnostics;
using HgCounter.Frames;
using HgCounter.Rtsp.Sources;
using HgCounter.Rtsp.Tests.Infrastructure;
using HgCounter.Testing;

namespace HgCounter.Rtsp.Tests.Connection;

public sealed class TestConnectionTests : IClassFixture<SharedRtspServer>, IClassFixture<TestClip>
{
    private readonly SharedRtspServer _servers;
    private readonly TestClip _clip;
    private readonly FrameSourceFactory _factory = new();

    public TestConnectionTests(SharedRtspServer servers, TestClip clip)
    {
        _servers = servers;
        _clip = clip;
    }

    [Fact]
    public async Task TestConnectionAsync_LiveStream_ReportsResolutionAndCodec()
    {
        var result = await _factory.TestConnectionAsync(new FrameSourceOptions { Url = _servers.Open.Url }, TimeSpan.FromSeconds(20), TestContext.Timeout());

        result.Should().BeEquivalentTo(new { Success = true, Width = 320, Height = 240, Codec = "h264", Error = (FrameSourceErrorKind?)null });
        result.FramesPerSecond.Should().BeApproximately(10, 0.5);
    }

    [Fact]
    public async Task TestConnectionAsync_WrongPassword_ReportsUnauthorizedWithoutThePassword()
    {
        var url = _servers.Protected.UrlWithCredentials(SharedRtspServer.User, "not-the-password");

        var result = await _factory.TestConnectionAsync(new FrameSourceOptions { Url = url }, TimeSpan.FromSeconds(20), TestContext.Timeout());

        result.Success.Should().BeFalse();
        result.Error.Should().Be(FrameSourceErrorKind.Unauthorized);
        (result.Message + result.DisplayName).Should().NotContain("not-the-password");
    }

    [Fact]
    public async Task TestConnectionAsync_UnknownPath_ReportsNotFound()
    {
        var result = await _factory.TestConnectionAsync(new FrameSourceOptions { Url = _servers.Open.Url + "/nope" }, TimeSpan.FromSeconds(20), TestContext.Timeout());

        result.Error.Should().Be(FrameSourceErrorKind.NotFound);
    }

    [Fact]
    public async Task TestConnectionAsync_TextFile_ReportsNotVideo()
    {
        var result = await _factory.TestConnectionAsync(new FrameSourceOptions { Url = _clip.TextFileAsVideo }, TimeSpan.FromSeconds(20), TestContext.Timeout());

        result.Error.Should().Be(FrameSourceErrorKind.NotVideo);
    }

    [Fact]
    public async Task TestConnectionAsync_SilentServer_ReportsTimeoutWithinTheBound()
    {
        await using var stall = await StallServer.StartAsync();
        var clock = Stopwatch.StartNew();

        var result = await _factory.TestConnectionAsync(new FrameSourceOptions { Url = $"rtsp://127.0.0.1:{stall.Port}/x" }, TimeSpan.FromSeconds(2), TestContext.Timeout());

        result.Error.Should().Be(FrameSourceErrorKind.Timeout);
        clock.Elapsed.Should().BeLessThan(TimeSpan.FromSeconds(2) + TimeSpan.FromSeconds(15), "the 2 s bound ends the test, not the 30 s cancellation (15 s is room for a loaded machine)");
        await SourceAssertions.NoChildProcessLeftAsync($":{stall.Port}/");
    }

    [Fact]
    public async Task TestConnectionAsync_UnsupportedScheme_ReportsItWithoutThrowing()
    {
        var result = await _factory.TestConnectionAsync(new FrameSourceOptions { Url = "gopher://cam/x" }, TimeSpan.FromSeconds(2), TestContext.Timeout());

        result.Error.Should().Be(FrameSourceErrorKind.UnsupportedScheme);
    }
}
