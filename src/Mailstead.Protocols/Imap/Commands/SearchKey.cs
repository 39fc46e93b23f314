namespace Mailstead.Protocols.Imap.Commands;

/// <summary>A search-key of RFC 3501 §6.4.4 / §9, extended by MODSEQ (RFC 7162 §3.1.5).</summary>
internal abstract record SearchKey;

/// <summary>Keys without arguments: ALL, ANSWERED, DELETED, DRAFT, FLAGGED, NEW, OLD, RECENT, SEEN and their UN- forms.</summary>
internal sealed record FlagSearchKey(SearchFlag Flag) : SearchKey;

internal enum SearchFlag
{
    All,
    Answered,
    Deleted,
    Draft,
    Flagged,
    New,
    Old,
    Recent,
    Seen,
    Unanswered,
    Undeleted,
    Undraft,
    Unflagged,
    Unseen,
}

/// <summary>KEYWORD and UNKEYWORD.</summary>
internal sealed record KeywordSearchKey(string Keyword, bool Present) : SearchKey;

/// <summary>BCC, BODY, CC, FROM, SUBJECT, TEXT, TO: a case-insensitive substring.</summary>
internal sealed record TextSearchKey(SearchTextField Field, string Value) : SearchKey;

internal enum SearchTextField
{
    Bcc,
    Body,
    Cc,
    From,
    Subject,
    Text,
    To,
}

/// <summary>HEADER field-name string; an empty value matches every message that has the field.</summary>
internal sealed record HeaderSearchKey(string FieldName, string Value) : SearchKey;

/// <summary>
/// BEFORE/ON/SINCE compare the internal date, SENTBEFORE/SENTON/SENTSINCE the Date:
/// header; both disregard time and timezone (RFC 3501 §6.4.4).
/// </summary>
internal sealed record DateSearchKey(bool SentDate, DateComparison Comparison, DateOnly Date) : SearchKey;

internal enum DateComparison
{
    Before,
    On,
    Since,
}

/// <summary>LARGER (<see cref="Larger"/>) or SMALLER than an RFC822.SIZE.</summary>
internal sealed record SizeSearchKey(bool Larger, uint Size) : SearchKey;

/// <summary>A sequence set of message numbers, or of UIDs after the UID key.</summary>
internal sealed record SequenceSetSearchKey(SequenceSet Set, bool Uid) : SearchKey;

/// <summary>
/// MODSEQ [entry-name entry-type-req] mod-sequence-valzer (RFC 7162 §3.1.5). The entry
/// name and type ("priv", "shared", "all") are kept verbatim.
/// </summary>
internal sealed record ModSeqSearchKey(ulong ModSeq, string? EntryName, string? EntryType) : SearchKey;

internal sealed record NotSearchKey(SearchKey Key) : SearchKey;

internal sealed record OrSearchKey(SearchKey Left, SearchKey Right) : SearchKey;

/// <summary>Keys side by side, at the top level or inside parentheses: all must match. Equal by its keys.</summary>
internal sealed record AndSearchKey(IReadOnlyList<SearchKey> Keys) : SearchKey
{
    public bool Equals(AndSearchKey? other) => other is not null && Keys.SequenceEqual(other.Keys);

    public override int GetHashCode() => Keys.Aggregate(0, (hash, key) => HashCode.Combine(hash, key));

    public override string ToString() => $"AndSearchKey {{ {string.Join(", ", Keys)} }}";
}
