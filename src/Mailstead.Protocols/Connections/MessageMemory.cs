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

    /// <summary>
    /// Raises what one message holds (<paramref name="held"/>, its caller's count) to at least <paramref name="bytes"/>,
    /// in steps of at least <paramref name="step"/>; false, and nothing more held, when that would go beyond the bound.
    /// </summary>
    public bool TryHold(ref long held, long bytes, long step = 0)
    {
        if (bytes <= held)
        {
            return true;
        }

        var more = Math.Max(step, bytes - held);
        if (Interlocked.Add(ref _taken, more) > _limit)
        {
            Interlocked.Add(ref _taken, -more);
            return false;
        }

        held += more;
        return true;
    }

    /// <summary>Gives back all that one message held.</summary>
    public void Release(ref long held)
    {
        Interlocked.Add(ref _taken, -held);
        held = 0;
    }
}
