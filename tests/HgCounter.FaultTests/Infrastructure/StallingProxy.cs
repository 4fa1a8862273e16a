using System.Net;
using System.Net.Sockets;

namespace HgCounter.FaultTests.Infrastructure;

/// <summary>
/// A TCP proxy on 127.0.0.1 in front of a camera. <see cref="Freeze"/> stops forwarding in both directions without
/// closing anything (a hung camera or a black-holed link: the socket stays open, no byte arrives); <see cref="Thaw"/>
/// forwards again. Dispose closes every connection.
/// </summary>
internal sealed class StallingProxy : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly int _upstreamPort;
    private readonly CancellationTokenSource _stop = new();
    private readonly List<TcpClient> _connections = [];
    private readonly Lock _lock = new();
    private readonly Task _acceptLoop;
    private TaskCompletionSource _flowing = NewOpenGate();

    public StallingProxy(int upstreamPort)
    {
        _upstreamPort = upstreamPort;
        _listener.Start();
        _acceptLoop = AcceptAsync(_stop.Token);
    }

    public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

    /// <summary>Stops forwarding; connections stay open.</summary>
    public void Freeze()
    {
        lock (_lock)
        {
            if (_flowing.Task.IsCompleted)
            {
                _flowing = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            }
        }
    }

    /// <summary>Forwards again.</summary>
    public void Thaw()
    {
        lock (_lock)
        {
            _flowing.TrySetResult();
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        Thaw();
        lock (_lock)
        {
            foreach (var connection in _connections)
            {
                connection.Dispose();
            }
        }

        try
        {
            await _acceptLoop.WaitAsync(TimeSpan.FromSeconds(10));
        }
        catch (OperationCanceledException)
        {
        }

        _stop.Dispose();
    }

    private static TaskCompletionSource NewOpenGate()
    {
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        gate.SetResult();
        return gate;
    }

    private Task Gate(CancellationToken token)
    {
        lock (_lock)
        {
            return _flowing.Task.WaitAsync(token);
        }
    }

    private async Task AcceptAsync(CancellationToken token)
    {
        var pumps = new List<Task>();
        try
        {
            while (!token.IsCancellationRequested)
            {
                var client = await _listener.AcceptTcpClientAsync(token);
                pumps.Add(ServeAsync(client, token));
            }
        }
        catch (Exception ex) when (ex is OperationCanceledException or SocketException or ObjectDisposedException)
        {
            // Stopped.
        }

        await Task.WhenAll(pumps);
    }

    private async Task ServeAsync(TcpClient client, CancellationToken token)
    {
        using var upstream = new TcpClient();
        lock (_lock)
        {
            _connections.Add(client);
            _connections.Add(upstream);
        }

        try
        {
            await Gate(token); // a connection made while frozen hangs as well
            await upstream.ConnectAsync(IPAddress.Loopback, _upstreamPort, token);
            using var linked = CancellationTokenSource.CreateLinkedTokenSource(token);
            var down = PumpAsync(upstream.GetStream(), client.GetStream(), linked.Token);
            var up = PumpAsync(client.GetStream(), upstream.GetStream(), linked.Token);
            await Task.WhenAny(down, up);
            await linked.CancelAsync();
            await Task.WhenAll(down, up);
        }
        catch (Exception ex) when (ex is OperationCanceledException or SocketException or IOException or ObjectDisposedException)
        {
            // A side closed, or the proxy stopped.
        }
        finally
        {
            client.Dispose();
        }
    }

    private async Task PumpAsync(NetworkStream from, NetworkStream to, CancellationToken token)
    {
        var buffer = new byte[16 * 1024];
        try
        {
            while (true)
            {
                await Gate(token);
                var read = await from.ReadAsync(buffer, token);
                if (read == 0)
                {
                    return;
                }

                await Gate(token); // frozen while a read was pending: hold the bytes
                await to.WriteAsync(buffer.AsMemory(0, read), token);
            }
        }
        catch (Exception ex) when (ex is OperationCanceledException or SocketException or IOException or ObjectDisposedException)
        {
        }
    }
}
