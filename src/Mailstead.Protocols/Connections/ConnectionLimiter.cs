using System.Collections.Concurrent;
using System.Net;
using Microsoft.Extensions.Options;

namespace Mailstead.Protocols.Connections;

/// <summary>Counts open mail connections per client address, over all listeners.</summary>
public sealed class ConnectionLimiter
{
    private readonly ConcurrentDictionary<IPAddress, int> _open = new();
    private readonly int _perAddress;

    public ConnectionLimiter(IOptions<ProtocolLimits> limits)
    {
        _perAddress = limits.Value.MaxConnectionsPerAddress;
    }

    /// <summary>Takes a slot for <paramref name="address"/>; false when it has as many connections open as it may.</summary>
    public bool TryEnter(IPAddress address)
    {
        while (true)
        {
            var count = _open.GetOrAdd(address, 0);
            if (count >= _perAddress)
            {
                return false;
            }

            if (_open.TryUpdate(address, count + 1, count))
            {
                return true;
            }
        }
    }

    public void Leave(IPAddress address)
    {
        while (_open.TryGetValue(address, out var count))
        {
            var done = count <= 1
                ? _open.TryRemove(new KeyValuePair<IPAddress, int>(address, count))
                : _open.TryUpdate(address, count - 1, count);
            if (done)
            {
                return;
            }
        }
    }
}
