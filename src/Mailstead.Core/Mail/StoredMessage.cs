namespace Mailstead.Core.Mail;

/// <summary>
/// The metadata row of one message in one folder. The body is an immutable file named by <see cref="BodyKey"/>;
/// a copy shares the file. Summary fields are decoded from the header for lists (webmail, admin), not for IMAP
/// ENVELOPE, which parses the body.
/// </summary>
public sealed class StoredMessage
{
    public long Id { get; set; }

    public long FolderId { get; set; }

    public long Uid { get; set; }

    public DateTime InternalDate { get; set; }

    public long Size { get; set; }

    public SystemFlags SystemFlags { get; set; }

    /// <summary>Keywords, space-separated (IMAP atoms contain no spaces).</summary>
    public string Keywords { get; set; } = "";

    public long ModSeq { get; set; }

    public required string BodyKey { get; set; }

    public string? MessageId { get; set; }

    public string? Subject { get; set; }

    public string? From { get; set; }

    public DateTime? Date { get; set; }

    /// <summary>Where the message came from when imported (the Maildir unique name), so a re-run skips it.</summary>
    public string? ImportKey { get; set; }

    public MessageFlags Flags => MessageFlags.Stored(SystemFlags, Keywords);

    public MessageEntry Entry => new(Uid, ModSeq, SystemFlags, Keywords, Size, InternalDate, Date, BodyKey);
}
