using HgCounter.Configuration;
using HgCounter.Reliability.Health;

namespace HgCounter.Reliability.Tests.Health;

public class CameraEndpointTests
{
    [Fact]
    public void From_PasswordWithSlashAndDigits_ProbesTheRealHostAndNeverShowsThePassword()
    {
        var endpoints = CameraEndpoint.From([new CameraOptions { Name = "door", Url = "rtsp://admin:1234/abcd@cam/" }]);

        endpoints.Should().Equal(new CameraEndpoint("door", "cam", 554));
        endpoints[0].ToString().Should().Be("door cam:554").And.NotContain("1234").And.NotContain("admin");
    }

    [Fact]
    public void From_PasswordWithSpaceAndIpv6Host_ProbesTheHost()
    {
        var endpoints = CameraEndpoint.From([new CameraOptions { Name = "yard", Url = "rtsp://root:a b@[::1]:8554/live" }]);

        endpoints.Should().Equal(new CameraEndpoint("yard", "::1", 8554));
        endpoints[0].ToString().Should().Be("yard [::1]:8554");
    }
}
