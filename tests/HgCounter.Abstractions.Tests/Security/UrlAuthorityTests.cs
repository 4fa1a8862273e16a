using HgCounter.Security;

namespace HgCounter.Abstractions.Tests.Security;

/// <summary>Host and port come from after the user info as the redactor finds it, never from inside a password.</summary>
public class UrlAuthorityTests
{
    [Theory]
    [InlineData("rtsp://admin:1234/abcd@cam/", "cam", null)]
    [InlineData("rtsp://admin:1234/abcd@cam:8554/live", "cam", 8554)]
    [InlineData("rtsp://admin:p@ss:99@10.0.0.5:554/s", "10.0.0.5", 554)]
    [InlineData("rtsp://admin:my pass@cam.local/x", "cam.local", null)]
    [InlineData("rtsp://admin:p@ss/x@[fe80::1]:554/x", "fe80::1", 554)]
    [InlineData("rtsp://cam.local:554/Streaming/101", "cam.local", 554)]
    [InlineData("RTSP://cam?x=1", "cam", null)]
    public void TryParse_UrlWithOrWithoutCredentials_HostAndPortAfterTheUserInfo(string url, string host, int? port)
    {
        UrlAuthority.TryParse(url, out var authority).Should().BeTrue();

        authority.Should().Be(new UrlAuthority("rtsp", host, port));
    }

    [Theory]
    [InlineData("/videos/a.mp4")]
    [InlineData("synthetic:demo")]
    [InlineData("rtsp://admin:secret@/x")]
    [InlineData("rtsp://cam:99999/x")]
    [InlineData("rtsp://cam:abc/x")]
    public void TryParse_NoHostOrBadPort_False(string url) =>
        UrlAuthority.TryParse(url, out _).Should().BeFalse();
}
