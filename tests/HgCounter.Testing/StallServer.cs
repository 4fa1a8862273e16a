namespace HgCounter.Testing;

/// <summary>A "hung camera" (stall_server.py): accepts TCP connections on 127.0.0.1 and never sends a byte.</summary>
public sealed class StallServer : IAsyncDisposable
{
    private readonly ScriptProcess _server;

    private StallServer(ScriptProcess server) => _server = server;

    /// <summary>The listening port.</summary>
    public int Port => int.Parse(_server.ReadyLine, System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>Starts the server on a free port.</summary>
    public static async Task<StallServer> StartAsync() =>
        new(await ScriptProcess.StartAsync("stall_server.py", ["--port", "0"], TimeSpan.FromSeconds(30)));

    /// <inheritdoc />
    public ValueTask DisposeAsync() => _server.DisposeAsync();
}
