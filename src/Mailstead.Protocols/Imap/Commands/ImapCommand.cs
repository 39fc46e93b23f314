using System.Buffers;

namespace Mailstead.Protocols.Imap.Commands;

internal enum ImapCommandName
{
    Capability,
    Noop,
    Logout,
    StartTls,
    Authenticate,
    Login,
    Select,
    Examine,
    Create,
    Delete,
    Rename,
    Subscribe,
    Unsubscribe,
    List,
    Lsub,
    Status,
    Append,
    Check,
    Close,
    Unselect,
    Expunge,
    Search,
    Fetch,
    Store,
    Copy,
    Move,
    Idle,
    Id,
    Enable,
    Namespace,
}

/// <summary>A parsed client command. Mailbox names are decoded (modified UTF-7 or UTF-8) and "INBOX" is canonical.</summary>
internal abstract record ImapCommand(string Tag, ImapCommandName Name);

/// <summary>Commands without arguments: CAPABILITY, NOOP, LOGOUT, STARTTLS, CHECK, CLOSE, UNSELECT, EXPUNGE, IDLE, NAMESPACE.</summary>
internal sealed record SimpleCommand(string Tag, ImapCommandName Name) : ImapCommand(Tag, Name);

/// <summary>
/// AUTHENTICATE mechanism [initial-response] (RFC 3501 §6.2.2, RFC 4959). The initial
/// response is the base64 text as sent; "=" stands for an empty response.
/// </summary>
internal sealed record AuthenticateCommand(string Tag, string Mechanism, string? InitialResponse)
    : ImapCommand(Tag, ImapCommandName.Authenticate)
{
    // The initial response of PLAIN holds the password: keep it out of logs.
    public override string ToString() => $"AuthenticateCommand {{ Tag = {Tag}, Mechanism = {Mechanism} }}";
}

internal sealed record LoginCommand(string Tag, string UserName, string Password) : ImapCommand(Tag, ImapCommandName.Login)
{
    // Keeps the password out of logs that print commands.
    public override string ToString() => $"LoginCommand {{ Tag = {Tag}, UserName = {UserName} }}";
}

/// <summary>DELETE, SUBSCRIBE, UNSUBSCRIBE.</summary>
internal sealed record MailboxCommand(string Tag, ImapCommandName Name, string Mailbox) : ImapCommand(Tag, Name);

/// <summary>SELECT or EXAMINE with the select-params of RFC 7162: (CONDSTORE) or (QRESYNC (...)).</summary>
internal sealed record SelectCommand(string Tag, ImapCommandName Name, string Mailbox, bool CondStore, QResyncParameters? QResync)
    : ImapCommand(Tag, Name);

/// <summary>QRESYNC (uidvalidity modseq [known-uids] [(known-sequence-set known-uid-set)]), RFC 7162 §3.2.5.</summary>
internal sealed record QResyncParameters(
    uint UidValidity,
    ulong ModSeq,
    SequenceSet? KnownUids,
    SequenceSet? KnownSequenceNumbers,
    SequenceSet? KnownSequenceUids);

/// <summary>CREATE mailbox [(USE (attributes))], RFC 6154 §5.</summary>
internal sealed record CreateCommand(string Tag, string Mailbox, IReadOnlyList<string> SpecialUse)
    : ImapCommand(Tag, ImapCommandName.Create);

internal sealed record RenameCommand(string Tag, string From, string To) : ImapCommand(Tag, ImapCommandName.Rename);

/// <summary>
/// LIST or LSUB. Extended LIST (RFC 5258) adds selection options, several patterns
/// and return options; RETURN (STATUS (...)) is RFC 5819. <see cref="Extended"/> says
/// the client used that syntax (RFC 9051 §6.3.9), where an empty pattern is ignored.
/// </summary>
internal sealed record ListCommand(
    string Tag,
    ImapCommandName Name,
    string Reference,
    IReadOnlyList<string> Patterns,
    ListSelection Selection,
    ListReturn Return,
    StatusItems ReturnStatus,
    bool Extended = false) : ImapCommand(Tag, Name);

[Flags]
internal enum ListSelection
{
    None = 0,
    Subscribed = 1,
    Remote = 2,
    RecursiveMatch = 4,
    SpecialUse = 8,
}

[Flags]
internal enum ListReturn
{
    None = 0,
    Subscribed = 1,
    Children = 2,
    SpecialUse = 4,
    Status = 8,
}

[Flags]
internal enum StatusItems
{
    None = 0,
    Messages = 1,
    Recent = 2,
    UidNext = 4,
    UidValidity = 8,
    Unseen = 16,
    HighestModSeq = 32,
    Size = 64,
    Deleted = 128,
}

internal sealed record StatusCommand(string Tag, string Mailbox, StatusItems Items) : ImapCommand(Tag, ImapCommandName.Status);

/// <summary>APPEND, with one message or several (MULTIAPPEND, RFC 3502).</summary>
internal sealed record AppendCommand(string Tag, string Mailbox, IReadOnlyList<AppendMessage> Messages)
    : ImapCommand(Tag, ImapCommandName.Append);

/// <summary>
/// One message to append. <see cref="Content"/> is a slice of the connection's
/// input, not a copy: it is valid until the session advances past the command.
/// <see cref="Binary"/> marks literal8 (RFC 3516 §4.4), whose content may hold NUL.
/// </summary>
internal sealed record AppendMessage(IReadOnlyList<string> Flags, DateTimeOffset? InternalDate, ReadOnlySequence<byte> Content, bool Binary);

/// <summary>EXPUNGE, or UID EXPUNGE with the UIDs to expunge (RFC 4315 §2.1).</summary>
internal sealed record ExpungeCommand(string Tag, SequenceSet? Uids) : ImapCommand(Tag, ImapCommandName.Expunge);

/// <summary>
/// [UID] SEARCH. <see cref="Return"/> is null for a classic SEARCH response, and set
/// when the client asked for ESEARCH with RETURN (RFC 4731); an empty RETURN () means ALL,
/// as does a SEARCH without RETURN once IMAP4rev2 is enabled (RFC 9051 §6.4.4).
/// </summary>
internal sealed record SearchCommand(string Tag, bool Uid, SearchReturn? Return, string? Charset, SearchKey Criteria)
    : ImapCommand(Tag, ImapCommandName.Search);

[Flags]
internal enum SearchReturn
{
    None = 0,
    Min = 1,
    Max = 2,
    All = 4,
    Count = 8,

    /// <summary>SEARCHRES (RFC 9051 §6.4.4.1): keep what was found as "$"; alone, it asks for no ESEARCH response.</summary>
    Save = 16,
}

/// <summary>
/// [UID] FETCH. Macros (ALL, FAST, FULL) arrive expanded. <see cref="ChangedSince"/>
/// and <see cref="Vanished"/> are the RFC 7162 modifiers (§3.1.4, §3.2.6).
/// </summary>
internal sealed record FetchCommand(string Tag, bool Uid, SequenceSet Set, IReadOnlyList<FetchItem> Items, ulong? ChangedSince, bool Vanished)
    : ImapCommand(Tag, ImapCommandName.Fetch);

internal enum FetchItemKind
{
    Envelope,
    Flags,
    InternalDate,
    Rfc822,
    Rfc822Header,
    Rfc822Size,
    Rfc822Text,
    /// <summary>BODY without a section: the non-extensible BODYSTRUCTURE.</summary>
    Body,
    BodyStructure,
    Uid,
    ModSeq,
    /// <summary>BODY[section] or BODY.PEEK[section].</summary>
    BodySection,
    /// <summary>BINARY[part] or BINARY.PEEK[part] (RFC 3516).</summary>
    BinarySection,
    BinarySize,
}

/// <summary>
/// One fetch-att. For sections, <see cref="Section"/> is the section-spec text between
/// "[" and "]" as the client wrote it, for the body engine to parse; for BINARY it is
/// a validated section-part ("1.2" or empty).
/// </summary>
internal sealed record FetchItem(FetchItemKind Kind, string Section = "", FetchPartial? Partial = null, bool Peek = false)
{
    public static FetchItem Of(FetchItemKind kind) => new(kind);
}

/// <summary>&lt;offset.length&gt; of a partial fetch (RFC 9051 §9 "partial").</summary>
internal sealed record FetchPartial(long Offset, long Length);

/// <summary>[UID] STORE set [(UNCHANGEDSINCE n)] [+|-]FLAGS[.SILENT] flags.</summary>
internal sealed record StoreCommand(
    string Tag,
    bool Uid,
    SequenceSet Set,
    StoreMode Mode,
    bool Silent,
    IReadOnlyList<string> Flags,
    ulong? UnchangedSince) : ImapCommand(Tag, ImapCommandName.Store);

internal enum StoreMode
{
    Replace,
    Add,
    Remove,
}

/// <summary>[UID] COPY or [UID] MOVE (RFC 6851).</summary>
internal sealed record CopyCommand(string Tag, ImapCommandName Name, bool Uid, SequenceSet Set, string Mailbox)
    : ImapCommand(Tag, Name);

/// <summary>ID (RFC 2971): null for NIL, otherwise field/value pairs in order (values may be NIL).</summary>
internal sealed record IdCommand(string Tag, IReadOnlyList<KeyValuePair<string, string?>>? Parameters)
    : ImapCommand(Tag, ImapCommandName.Id);

/// <summary>ENABLE capability names (RFC 5161), as sent.</summary>
internal sealed record EnableCommand(string Tag, IReadOnlyList<string> Capabilities) : ImapCommand(Tag, ImapCommandName.Enable);
