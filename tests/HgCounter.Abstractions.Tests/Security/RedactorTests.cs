using HgCounter.Security;

namespace HgCounter.Abstractions.Tests.Security;

public class RedactorTests
{
    [Theory]
    [InlineData("rtsp://admin:hunter22@10.1.2.3:554/Streaming/101", "rtsp://***@10.1.2.3:554/Streaming/101")]
    [InlineData("rtsp://admin@cam/stream", "rtsp://***@cam/stream")]
    [InlineData("rtsp://cam.local/stream", "rtsp://cam.local/stream")]
    [InlineData("https://api.example/rest?apikey=abc123&x=1", "https://api.example/rest?apikey=***&x=1")]
    [InlineData("Host=db;Username=counter;Password=p@ss;Database=hg", "Host=db;Username=counter;Password=***;Database=hg")]
    [InlineData("apikey: eyJhbGciOi", "apikey: ***")]
    [InlineData("Authorization: Bearer eyJhbGciOi", "Authorization: ***")]
    public void Redact_TextWithSecret_ReplacesOnlyTheSecret(string input, string expected) =>
        Redactor.Redact(input).Should().Be(expected);

    [Fact]
    public void Redact_SecretInsideFfmpegMessage_RemovesIt()
    {
        var line = "[rtsp @ 0x55] method DESCRIBE failed: 401 Unauthorized rtsp://u:Sup3r%40pw@127.0.0.1:8554/x: Server returned 401";
        var redacted = Redactor.Redact(line);
        redacted.Should().NotContain("Sup3r").And.Contain("rtsp://***@127.0.0.1:8554/x").And.Contain("401 Unauthorized");
    }

    [Fact]
    public void RedactWith_PasswordEchoedWithoutUrl_RemovesIt()
    {
        var url = "rtsp://user:Sup3r%40pw@cam/x";
        var text = "authentication failed for password Sup3r@pw";
        Redactor.RedactWith(text, Redactor.SecretsOf(url)).Should().NotContain("Sup3r").And.Contain(Redactor.Mask);
    }

    [Fact]
    public void Redact_Null_ReturnsNull() => Redactor.Redact(null).Should().BeNull();
}
