using System.Net;
using System.Net.Sockets;

namespace HgCounter.Testing;

/// <summary>
/// A 127.0.0.1 port held by a bound socket that never listens: every connection to it is refused (a camera that is not
/// there), and no other server, of this test run or another one beside it, can take the port while the test holds it.
/// Unlike <see cref="FreePort.Next"/>, which releases the port and may see it reused.
/// </summary>
public sealed class RefusingPort : IDisposable
{
    private readonly Socket _socket = new(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);

    /// <summary>Binds a free port.</summary>
    public RefusingPort() => _socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));

    /// <summary>The held port.</summary>
    public int Port => ((IPEndPoint)_socket.LocalEndPoint!).Port;

    /// <inheritdoc />
    public void Dispose() => _socket.Dispose();
}
