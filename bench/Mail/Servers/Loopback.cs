using System.Net;
using System.Net.Sockets;

namespace Mailstead.Bench.Mail.Servers;

internal static class Loopback
{
    public static IPAddress Address => IPAddress.Loopback;

    /// <summary>A port free right now; the servers bind it a moment later (the same race the test servers accept).</summary>
    public static int FreePort()
    {
        using var listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        listener.Bind(new IPEndPoint(Address, 0));
        return ((IPEndPoint)listener.LocalEndPoint!).Port;
    }
}
