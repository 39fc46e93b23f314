namespace Mailstead.Protocols.Imap.Commands;

/// <summary>Why a command was refused before it reached a handler.</summary>
internal enum ImapRejectReason
{
    /// <summary>The command text outside literals exceeds <see cref="ImapLimits.MaxCommandTextLength"/>.</summary>
    LineTooLong,

    /// <summary>An announced literal exceeds its limit; the session answers with [TOOBIG] (RFC 4469, RFC 7888 §4).</summary>
    LiteralTooLarge,

    /// <summary>
    /// An APPENDed message would go beyond the memory all messages being received may hold (<see cref="Connections.MessageMemory"/>):
    /// answered NO [UNAVAILABLE] (RFC 5530), a temporary condition, before a synchronizing literal is sent.
    /// </summary>
    ServerBusy,

    /// <summary>The line does not start with a valid tag followed by SP (RFC 3501 §9 "tag"); answered with an untagged BAD.</summary>
    InvalidTag,

    UnknownCommand,

    SyntaxError,

    /// <summary>RFC 3501 §9 note 3: NUL must not be used at any time (except inside literal8).</summary>
    NulCharacter,

    /// <summary>8-bit bytes in a quoted string before the client enabled UTF8=ACCEPT (RFC 6855 §3).</summary>
    EightBitText,

    InvalidUtf8,

    /// <summary>A mailbox name that is not valid modified UTF-7 (RFC 3501 §5.1.3).</summary>
    InvalidMailboxName,

    NumberOutOfRange,

    InvalidDate,

    /// <summary>SEARCH CHARSET other than US-ASCII and UTF-8; answered NO [BADCHARSET] (RFC 3501 §6.4.4).</summary>
    UnsupportedCharset,

    TooDeeplyNested,
}

/// <summary>
/// A refused command. <see cref="Tag"/> is null when no tag could be read, and
/// the session then answers <c>* BAD</c>; <see cref="Message"/> is safe to send
/// as response text (printable US-ASCII only). <see cref="ClearsSavedResult"/> marks a
/// SEARCH RETURN (SAVE) answered NO, which empties "$" (RFC 9051 §6.4.4.1).
/// </summary>
internal sealed record ImapRejection(ImapRejectReason Reason, string? Tag, string Message)
{
    public bool ClearsSavedResult { get; init; }
}
