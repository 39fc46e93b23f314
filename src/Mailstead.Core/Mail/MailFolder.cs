namespace Mailstead.Core.Mail;

/// <summary>RFC 6154 special-use attributes; stored by name, so the values may be reordered but never renamed.</summary>
public enum SpecialUse
{
    None,
    Inbox,
    Drafts,
    Sent,
    Junk,
    Trash,
    Archive,
}

/// <summary>
/// A folder of a mailbox. <see cref="Name"/> is the full hierarchical name with '/' as the delimiter ("INBOX",
/// "Lists/dev"). <see cref="UidNext"/> and <see cref="HighestModSeq"/> are advanced in the transaction that
/// stores or changes a message, so UIDs are never reused (RFC 3501 §2.3.1.1).
/// </summary>
public sealed class MailFolder
{
    public const char Delimiter = '/';
    public const string InboxName = "INBOX";

    public long Id { get; set; }

    public long MailboxId { get; set; }

    public required string Name { get; set; }

    public SpecialUse SpecialUse { get; set; }

    public long UidValidity { get; set; }

    public long UidNext { get; set; } = 1;

    public long HighestModSeq { get; set; } = 1;

    public bool Subscribed { get; set; } = true;

    /// <summary>
    /// The lowest UID no read-write IMAP session has been told of yet: messages from here on are \Recent (RFC 3501
    /// §2.3.2) for the next session that selects the folder, which then moves it past them.
    /// </summary>
    public long FirstRecentUid { get; set; } = 1;

    /// <summary>Bytes of the folder's messages, kept in step in the transaction of every change, so the quota check
    /// before a delivery reads a few folder rows instead of summing every message of the mailbox.</summary>
    public long TotalBytes { get; set; }

    /// <summary>How many messages the folder holds, kept in step like <see cref="TotalBytes"/>: a folder snapshot
    /// (<see cref="FolderSnapshots"/>) compares it with its own count to learn that nothing was expunged.</summary>
    public long MessageCount { get; set; }

    /// <summary>The storage column's size (MailsteadDbContext).</summary>
    public const int MaxNameLength = 1024;

    /// <summary>Why <paramref name="name"/> cannot name a folder, in words for the user; null when it can (IMAP CREATE/RENAME, the webmail).</summary>
    public static string? InvalidName(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        return name.Length == 0 ? "A folder needs a name."
            : name.Length > MaxNameLength ? $"A folder name can have at most {MaxNameLength} characters."
            : name.Split(Delimiter).Any(s => s.Length == 0) ? "A folder name cannot have an empty level."
            : name.AsSpan().IndexOfAny("*%") >= 0 ? "A folder name cannot contain * or %, the LIST wildcards."
            : name.Any(char.IsControl) ? "A folder name cannot contain control characters."
            // RFC 9051 §5.1: names are Net-Unicode (RFC 5198: NFC); a server that does not normalise must refuse others,
            // or a name could be created that SELECT with the same characters, normalised by a client, would not find.
            : !name.IsNormalized(System.Text.NormalizationForm.FormC) ? "A folder name must be in Unicode normalization form C."
            : null;
    }

    /// <summary>The default folders every mailbox has, with their SPECIAL-USE attribute.</summary>
    public static IReadOnlyList<(string Name, SpecialUse Use)> Defaults { get; } =
    [
        (InboxName, SpecialUse.Inbox),
        ("Drafts", SpecialUse.Drafts),
        ("Sent", SpecialUse.Sent),
        ("Junk", SpecialUse.Junk),
        ("Trash", SpecialUse.Trash),
        ("Archive", SpecialUse.Archive),
    ];
}
