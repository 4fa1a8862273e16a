using System.Net;
using System.Net.Sockets;

namespace HgCounter.Testing;

/// <summary>Loopback ports for servers started by tests.</summary>
public static class FreePort
{
    /// <summary>A 127.0.0.1 port that was free a moment ago (bound, read, released); nothing listens on it now, so connections are refused until a server takes it.</summary>
    public static int Next()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
