namespace Mailstead.Protocols.Imap.Commands;

/// <summary>
/// Every bound the IMAP command reader enforces, in one place (the Kestrel
/// <c>KestrelServerLimits</c> shape). A command is held in memory until it is
/// complete, so these numbers bound the memory one connection can pin.
/// </summary>
internal sealed record ImapLimits
{
    /// <summary>
    /// Bytes of a command outside its literals, all lines together. RFC 7162 §4
    /// asks servers to accept at least 8192 octets; QRESYNC known-uid sets and
    /// long UID sets from clients that do not collapse ranges need more.
    /// </summary>
    public int MaxCommandTextLength { get; init; } = 64 * 1024;

    /// <summary>Literal bytes in one command, all literals together, except APPEND messages.</summary>
    public long MaxLiteralLength { get; init; } = 64 * 1024;

    /// <summary>Message bytes in one APPEND command (all messages together with MULTIAPPEND).</summary>
    public long MaxAppendLength { get; init; } = 64L * 1024 * 1024;

    /// <summary>
    /// The server advertises LITERAL- rather than LITERAL+: a non-synchronizing
    /// literal larger than <see cref="LiteralMinusMaximum"/> is refused with
    /// TOOBIG (RFC 7888 §5).
    /// </summary>
    public bool LiteralMinus { get; init; }

    /// <summary>Nesting of parenthesised lists, NOT and OR in one command (search keys recurse).</summary>
    public int MaxNestingDepth { get; init; } = 32;

    public const int LiteralMinusMaximum = 4096;

    public static ImapLimits Default { get; } = new();
}
