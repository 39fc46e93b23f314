using Microsoft.Extensions.Options;

namespace Mailstead.Protocols.Connections;

/// <summary>
/// The bytes of messages being received (SMTP DATA, IMAP APPEND) that all sessions together may hold in memory
/// (<see cref="ProtocolLimits.MaxMessageBytesInMemory"/>): without it, many clients each sending a message of the
/// largest size at once could take all the server's memory. A session that cannot take more refuses its message with a
/// temporary error, and the sender tries again later.
/// </summary>
public sealed class MessageMemory(IOptions<ProtocolLimits> limits)
{
    private readonly long _limit = limits.Value.MaxMessageBytesInMemory;
    private long _taken;

    public bool TryTake(long bytes)
    {
        if (Interlocked.Add(ref _taken, bytes) <= _limit)
        {
            return true;
        }

        Interlocked.Add(ref _taken, -bytes);
        return false;
    }

    public void Give(long bytes) => Interlocked.Add(ref _taken, -bytes);
}
