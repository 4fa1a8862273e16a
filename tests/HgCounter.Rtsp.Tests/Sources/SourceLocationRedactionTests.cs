using HgCounter.Rtsp.Sources;

namespace HgCounter.Rtsp.Tests.Sources;

/// <summary>A camera URL with a hard password must never reach a start-up validation message or a display name.</summary>
public sealed class SourceLocationRedactionTests
{
    private const string Password = "S3cr/t#p@ss:x";

    /// <summary>Locations carrying <see cref="Password"/>, most of them invalid for System.Uri, which is when an error is written.</summary>
    public static TheoryData<string> Locations => new()
    {
        $"rtsp://admin:{Password}@10.0.0.5/s",
        $"rtsp://admin:{Password}@10.0.0.5:99999/s",
        $"rtsp://admin:{Password}@",
        $"rtsp://admin:{Password}@/stream",
        $"ftp://admin:{Password}@host/x",
        $"file://admin:{Password}@host/clip.mp4",
        $"  http://admin:{Password}@host:80/x  ",
        $"admin:{Password}@host rtsp://cam/x",
        $"admin:{Password}@host://cam/x",
        $"device:admin:{Password}@cam",
        $"admin:{Password}@host/x",
    };

    [Theory]
    [MemberData(nameof(Locations))]
    public void TryParse_LocationWithPassword_NeverShowsThePassword(string value)
    {
        var parsed = SourceLocation.TryParse(value, out var location, out var error);

        var shown = parsed ? location!.DisplayName + " " + location : error;
        shown.Should().NotBeNullOrEmpty();
        shown.Should().NotContain("S3cr").And.NotContain("p@ss").And.NotContain("t#p");
    }

    [Theory]
    [InlineData("rtsp://admin:pa/ss@host/x")]
    [InlineData("rtsp://admin:Pa#ss@host/x")]
    [InlineData("rtsp://admin:p@ss@host:notaport/x")]
    public void TryParse_InvalidUrlWithPassword_ErrorShowsTheRedactedUrl(string value)
    {
        var parsed = SourceLocation.TryParse(value, out _, out var error);

        parsed.Should().BeFalse();
        error.Should().Contain("rtsp://***@host").And.NotContain("ss@").And.NotContain("admin");
    }

    [Fact]
    public void Parse_AtInPasswordRejectedBySystemUri_ThrowsWithHostVisibleAndPasswordHidden()
    {
        var act = () => SourceLocation.Parse("rtsp://admin:p@ss@10.0.0.5:554/Streaming/101");

        act.Should().Throw<ArgumentException>().Which.Message.Should().Contain("'rtsp://***@10.0.0.5:554/Streaming/101'").And.NotContain("ss@");
    }

    [Fact]
    public void Parse_EscapedAtInPassword_AcceptedWithRedactedDisplayName()
    {
        var location = SourceLocation.Parse("rtsp://admin:p%40ss@10.0.0.5:554/Streaming/101");

        location.DisplayName.Should().Be("rtsp://***@10.0.0.5:554/Streaming/101");
        location.ToString().Should().Be(location.DisplayName);
        location.Value.Should().Contain("p%40ss", "the decoder still gets the real credentials");
    }
}
