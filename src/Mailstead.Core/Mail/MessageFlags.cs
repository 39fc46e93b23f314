namespace Mailstead.Core.Mail;

/// <summary>The RFC 3501 §2.3.2 system flags (\Recent is per session and not stored).</summary>
[Flags]
[System.Diagnostics.CodeAnalysis.SuppressMessage("Naming", "CA1711", Justification = "RFC 3501 calls them system flags.")]
public enum SystemFlags
{
    None = 0,
    Seen = 1,
    Answered = 2,
    Flagged = 4,
    Deleted = 8,
    Draft = 16,
}

/// <summary>System flags plus keywords (atoms such as "$Forwarded" or "$Junk"); keywords compare case-insensitively.</summary>
public sealed record MessageFlags(SystemFlags System, IReadOnlySet<string> Keywords)
{
    public static MessageFlags Empty { get; } = new(SystemFlags.None, new HashSet<string>(StringComparer.OrdinalIgnoreCase));

    public static MessageFlags Of(SystemFlags system, params string[] keywords) =>
        new(system, new HashSet<string>(keywords, StringComparer.OrdinalIgnoreCase));

    /// <summary>The flags as a message row keeps them: system flags, and keywords separated by spaces.</summary>
    public static MessageFlags Stored(SystemFlags system, string keywords) => keywords.Length == 0
        ? new(system, Empty.Keywords)
        : Of(system, keywords.Split(' ', StringSplitOptions.RemoveEmptyEntries));

    /// <summary>
    /// The most a message's keywords may take in their stored form (<see cref="StoredKeywords"/>); more is refused
    /// (IMAP: NO [LIMIT], RFC 5530 §3), so one client cannot grow a message row without bound.
    /// </summary>
    public const int MaxStoredKeywordsLength = 2048;

    /// <summary>The keywords as a message row keeps them: in order, separated by spaces (IMAP atoms hold none).</summary>
    public string StoredKeywords => string.Join(' ', Keywords.Order(StringComparer.OrdinalIgnoreCase));

    public bool Has(SystemFlags flag) => (System & flag) == flag;

    public bool Equals(MessageFlags? other) =>
        other is not null && System == other.System && Keywords.SetEquals(other.Keywords);

    public override int GetHashCode() => HashCode.Combine(System, Keywords.Count);
}

/// <summary>How <see cref="IMessageStore.SetFlagsAsync"/> applies flags (RFC 3501 §6.4.6 STORE FLAGS, +FLAGS, -FLAGS).</summary>
public enum FlagChange
{
    Replace,
    Add,
    Remove,
}
