namespace HgCounter.Testing;

/// <summary>
/// A real GStreamer RTSP server (rtsp_server.py) on 127.0.0.1 serving a generated scene. Can be stopped and
/// restarted on the same port to simulate a camera that goes away and comes back.
/// </summary>
public sealed class RtspServerFixture : IAsyncDisposable
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(60);
    private readonly string[] _arguments;
    private ScriptProcess? _server;

    private RtspServerFixture(string[] arguments) => _arguments = arguments;

    /// <summary>The stream URL (no credentials), e.g. <c>rtsp://127.0.0.1:PORT/stream</c>.</summary>
    public string Url { get; private set; } = string.Empty;

    /// <summary>The bound port.</summary>
    public int Port => new Uri(Url).Port;

    /// <summary>Whether the server runs.</summary>
    public bool IsRunning => _server is { HasExited: false };

    /// <summary>Starts a server with rtsp_server.py arguments, e.g. <c>--width 320 --height 240 --fps 10</c>.</summary>
    public static async Task<RtspServerFixture> StartAsync(params string[] arguments)
    {
        var fixture = new RtspServerFixture(arguments);
        await fixture.StartOnPortAsync(0);
        return fixture;
    }

    /// <summary>The URL with <paramref name="user"/>:<paramref name="password"/> embedded.</summary>
    public string UrlWithCredentials(string user, string password) => Url.Replace("rtsp://", $"rtsp://{user}:{password}@", StringComparison.Ordinal);

    /// <summary>Kills the server (the camera disappears).</summary>
    public async Task StopAsync()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync();
            _server = null;
        }
    }

    /// <summary>Freezes the server (SIGSTOP): connections stay open and no byte arrives, a camera hung mid-stream. Dispose still ends it.</summary>
    public Task PauseAsync() => ProcessSignals.StopAsync(RunningServer.Id);

    /// <summary>Lets a paused server run again (SIGCONT).</summary>
    public Task ResumeAsync() => ProcessSignals.ContinueAsync(RunningServer.Id);

    /// <summary>Starts the server again on the same port (the camera came back).</summary>
    public async Task RestartAsync()
    {
        await StopAsync();
        var port = Port;
        var clock = System.Diagnostics.Stopwatch.StartNew();
        while (true)
        {
            try
            {
                await StartOnPortAsync(port);
                return;
            }
            catch (InvalidOperationException) when (clock.Elapsed < StartTimeout)
            {
                // The port may linger for a moment after the kill.
                await Task.Delay(500);
            }
        }
    }

    /// <inheritdoc />
    public ValueTask DisposeAsync() => new(StopAsync());

    private ScriptProcess RunningServer => _server ?? throw new InvalidOperationException("The server is stopped.");

    private async Task StartOnPortAsync(int port)
    {
        _server = await ScriptProcess.StartAsync("rtsp_server.py", ["--port", port.ToString(System.Globalization.CultureInfo.InvariantCulture), .. _arguments], StartTimeout);
        Url = _server.ReadyLine;
    }
}
