using System.Net;
using System.Net.Sockets;

namespace HgCounter.FaultTests.Infrastructure;

/// <summary>
/// A "camera" on 127.0.0.1 that answers every connection with seeded random bytes (at most 4 MiB per connection, then it
/// closes): a stream of garbage where a protocol was expected.
/// </summary>
internal sealed class GarbageServer : IAsyncDisposable
{
    private const int MaxBytesPerConnection = 4 * 1024 * 1024;
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _acceptLoop;

    public GarbageServer()
    {
        _listener.Start();
        _acceptLoop = AcceptAsync(_stop.Token);
    }

    public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

    /// <summary>Connections served so far.</summary>
    public int Connections { get; private set; }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        try
        {
            await _acceptLoop.WaitAsync(TimeSpan.FromSeconds(10));
        }
        catch (OperationCanceledException)
        {
        }

        _stop.Dispose();
    }

    private async Task AcceptAsync(CancellationToken token)
    {
        var served = new List<Task>();
        try
        {
            while (!token.IsCancellationRequested)
            {
                var client = await _listener.AcceptTcpClientAsync(token);
                Connections++;
                served.Add(SpewAsync(client, Connections, token));
            }
        }
        catch (Exception ex) when (ex is OperationCanceledException or SocketException or ObjectDisposedException)
        {
        }

        await Task.WhenAll(served);
    }

    private static async Task SpewAsync(TcpClient client, int seed, CancellationToken token)
    {
        using (client)
        {
            var random = new Random(seed);
            var buffer = new byte[8192];
            try
            {
                var stream = client.GetStream();
                for (var sent = 0; sent < MaxBytesPerConnection; sent += buffer.Length)
                {
                    random.NextBytes(buffer);
                    await stream.WriteAsync(buffer, token);
                    await Task.Delay(5, token);
                }
            }
            catch (Exception ex) when (ex is OperationCanceledException or SocketException or IOException or ObjectDisposedException)
            {
            }
        }
    }
}
