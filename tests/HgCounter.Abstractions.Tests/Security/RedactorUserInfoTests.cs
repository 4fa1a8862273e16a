using HgCounter.Security;

namespace HgCounter.Abstractions.Tests.Security;

/// <summary>Passwords that break a naive "up to the first @" user-info pattern: none may reach a log line.</summary>
public class RedactorUserInfoTests
{
    /// <summary>Password, then the URL that carries it; the host and path after the last '@' must stay readable.</summary>
    public static TheoryData<string, string, string> NastyUrls => new()
    {
        { "p@ss", "rtsp://admin:p@ss@10.0.0.5/s", "rtsp://***@10.0.0.5/s" },
        { "p@s@s", "rtsp://admin:p@s@s@10.0.0.5:554/Streaming/101", "rtsp://***@10.0.0.5:554/Streaming/101" },
        { "pa/ss", "rtsp://admin:pa/ss@host/x", "rtsp://***@host/x" },
        { "Pa#ss", "rtsp://admin:Pa#ss@host/x", "rtsp://***@host/x" },
        { "Pa?ss", "rtsp://admin:Pa?ss@host/x", "rtsp://***@host/x" },
        { "a/b#c@d", "rtsp://admin:a/b#c@d@cam.local:8554/live", "rtsp://***@cam.local:8554/live" },
        { "a:b:c", "rtsp://admin:a:b:c@host/x", "rtsp://***@host/x" },
        { "Sup3r%40pw", "rtsp://admin:Sup3r%40pw@host/x", "rtsp://***@host/x" },
        { "pä$$wörd€", "rtsp://admin:pä$$wörd€@host/x", "rtsp://***@host/x" },
        { "admin", "rtsp://admin@host/x", "rtsp://***@host/x" },
        { "admin:", "rtsp://admin:@host/x", "rtsp://***@host/x" },
        { "p(a)ss'\"", "rtsp://admin:p(a)ss'\"@host/x", "rtsp://***@host/x" },
        { "p@ss/x", "rtsp://admin:p@ss/x@[fe80::1]:554/x", "rtsp://***@[fe80::1]:554/x" },
        { "a:b://c", "rtsp://admin:a:b://c@host/x", "rtsp://***@host/x" },
    };

    [Theory]
    [MemberData(nameof(NastyUrls))]
    public void Redact_NastyPassword_MasksAllOfItAndKeepsHostAndPath(string password, string url, string expected)
    {
        var redacted = Redactor.Redact(url);

        redacted.Should().Be(expected);
        redacted.Should().NotContain(password);
    }

    [Theory]
    [MemberData(nameof(NastyUrls))]
    public void Redact_NastyPasswordInsideQuotesAndParentheses_MasksIt(string password, string url, string expected)
    {
        var line = $"Input #0, rtsp, from '{url}': (url {url}) \"{url}\"";

        var redacted = Redactor.Redact(line)!;

        redacted.Should().NotContain(password);
        redacted.Should().Contain($"'{expected}'").And.Contain($"(url {expected})").And.Contain($"\"{expected}\"");
    }

    [Fact]
    public void Redact_SeveralUrlsInOneFfmpegLine_MasksEachAndKeepsEachHost()
    {
        var line = "[rtsp @ 0x5581] Could not open rtsp://admin:p@ss@cam1/a, trying rtsp://root:Pa#ss@cam2:554/b (fallback http://u:pa/ss@cam3/c)";

        var redacted = Redactor.Redact(line)!;

        redacted.Should().Be("[rtsp @ 0x5581] Could not open rtsp://***@cam1/a, trying rtsp://***@cam2:554/b (fallback http://***@cam3/c)");
    }

    [Fact]
    public void Redact_UrlsJoinedWithoutWhitespace_MasksBothPasswords()
    {
        var json = "{\"main\":\"rtsp://a:s3cr@t@cam1/x\",\"sub\":\"rtsp://b:t0p#s@cam2/y\"}";

        var redacted = Redactor.Redact(json)!;

        redacted.Should().NotContain("s3cr").And.NotContain("t0p");
        redacted.Should().Contain("rtsp://***@cam1/x").And.Contain("rtsp://***@cam2/y");
    }

    [Theory]
    [InlineData("[tcp @ 0x55] Connection to tcp://10.0.0.5:554?timeout=12000000 failed: Connection refused")]
    [InlineData("rtsp://cam.local:554/Streaming/Channels/101")]
    [InlineData("[rtsp @ 0x55d0] method DESCRIBE failed: 404 Not Found")]
    public void Redact_TextWithoutUserInfo_IsUnchanged(string text) =>
        Redactor.Redact(text).Should().Be(text);

    [Theory]
    [MemberData(nameof(NastyUrls))]
    public void RedactWith_NastyPasswordEchoedWithoutUrl_RemovesIt(string password, string url, string expected)
    {
        var echoed = $"authentication failed for '{password}' on {url}";

        var redacted = Redactor.RedactWith(echoed, Redactor.SecretsOf(url));

        redacted.Should().NotContain(password).And.EndWith(expected);
    }

    [Fact]
    public void SecretsOf_EscapedPassword_IncludesTheUnescapedForm()
    {
        var secrets = Redactor.SecretsOf("rtsp://admin:Sup3r%40p@ss@cam/x");

        secrets.Should().Contain("Sup3r%40p@ss").And.Contain("Sup3r@p@ss").And.Contain("admin:Sup3r%40p@ss");
    }
}
