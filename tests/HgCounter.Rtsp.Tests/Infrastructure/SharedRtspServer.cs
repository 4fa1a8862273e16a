using HgCounter.Testing;

namespace HgCounter.Rtsp.Tests.Infrastructure;

/// <summary>One live RTSP server (320x240 at 10 fps, plus a password-protected one) shared by a test class.</summary>
public sealed class SharedRtspServer : IAsyncLifetime
{
    public const string User = "admin";
    public const string Password = "S3cretPa55";

    public RtspServerFixture Open { get; private set; } = null!;

    public RtspServerFixture Protected { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Open = await RtspServerFixture.StartAsync("--width", "320", "--height", "240", "--fps", "10");
        Protected = await RtspServerFixture.StartAsync("--width", "320", "--height", "240", "--fps", "10", "--mount", "cam", "--user", User, "--password", Password);
    }

    public async Task DisposeAsync()
    {
        await Open.DisposeAsync();
        await Protected.DisposeAsync();
    }
}
