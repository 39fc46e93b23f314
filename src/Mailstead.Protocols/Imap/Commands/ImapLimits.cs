using Mailstead.Core.Mail;
using Mailstead.Protocols.Connections;

namespace Mailstead.Protocols.Imap.Commands;

/// <summary>
/// The bounds the IMAP command reader enforces, taken from their owners
/// (<see cref="ProtocolLimits"/> and <see cref="MailOptions.MaxMessageBytes"/>). A command
/// is held in memory until it is complete, so these numbers bound what one connection pins.
/// </summary>
internal sealed record ImapLimits(int MaxCommandTextLength, long MaxLiteralLength, long MaxAppendLength, bool LiteralMinus = false)
{
    /// <summary>RFC 7888 §5: with LITERAL- a non-synchronizing literal may not exceed 4096 bytes.</summary>
    public const int LiteralMinusMaximum = 4096;

    /// <param name="limits">Command text (all lines outside literals) and literals other than APPEND messages.</param>
    /// <param name="mail">The largest message, which bounds the message bytes of one APPEND (all messages together with MULTIAPPEND).</param>
    /// <param name="literalMinus">The server advertises LITERAL- rather than LITERAL+.</param>
    public static ImapLimits From(ProtocolLimits limits, MailOptions mail, bool literalMinus = false) =>
        new(limits.MaxCommandLineBytes, limits.MaxLiteralBytes, mail.MaxMessageBytes, literalMinus);
}
