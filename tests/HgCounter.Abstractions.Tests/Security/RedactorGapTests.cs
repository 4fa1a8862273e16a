using HgCounter.Security;

namespace HgCounter.Abstractions.Tests.Security;

/// <summary>Secrets the first redactor let through: a space in the user info, a value with a comma, a password of one or two characters.</summary>
public class RedactorGapTests
{
    [Theory]
    [InlineData("rtsp://admin:my pass@cam/x", "my pass", "rtsp://***@cam/x")]
    [InlineData("rtsp://admin:a b  c@cam:554/x", "a b  c", "rtsp://***@cam:554/x")]
    [InlineData("opening 'rtsp://ad min:pw1@cam/x' failed", "ad min", "opening 'rtsp://***@cam/x' failed")]
    public void Redact_UserInfoWithSpaces_MasksAllOfIt(string text, string secret, string expected)
    {
        var redacted = Redactor.Redact(text);

        redacted.Should().Be(expected).And.NotContain(secret);
    }

    [Theory]
    [InlineData("[rtsp @ 0x55] rtsp://10.0.0.5/x: 404 [tcp @ 0x56] done")]
    [InlineData("camera door rtsp://cam.local/live opened, 25 fps")]
    public void Redact_UrlWithoutCredentialsFollowedByWords_IsUnchanged(string text) =>
        Redactor.Redact(text).Should().Be(text);

    [Theory]
    [InlineData("Host=db;Password=a,b;Database=hg", "Host=db;Password=***;Database=hg")]
    [InlineData("secret=x,y,z then", "secret=*** then")]
    public void Redact_SecretValueWithComma_MasksTheWholeValue(string text, string expected) =>
        Redactor.Redact(text).Should().Be(expected);

    [Theory]
    [InlineData("rtsp://u:1@10.0.0.5/x", "wrong password 1 for user u", "wrong password *** for user u")]
    [InlineData("rtsp://admin:ab@10.0.0.5/x", "auth 'ab' rejected by 10.0.0.5", "auth '***' rejected by 10.0.0.5")]
    [InlineData("rtsp://admin:xyz@10.0.0.5/x", "password xyz rejected", "password *** rejected")]
    public void RedactWith_ShortPasswordEchoed_MaskedAsAWordWithoutEatingAddresses(string url, string text, string expected) =>
        Redactor.RedactWith(text, Redactor.SecretsOf(url)).Should().Be(expected);
}
