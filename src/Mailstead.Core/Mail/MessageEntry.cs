namespace Mailstead.Core.Mail;

/// <summary>
/// What a mail protocol reads of a message to answer for it: its numbers, flags, dates, size and body file. The list
/// summary (subject, sender, Message-ID) stays in the database: FETCH, SEARCH and POP3 read this for every message of
/// a folder, and every column read costs (a FETCH of a 200-message folder spent most of its time reading rows).
/// </summary>
public sealed record MessageEntry(long Uid, long ModSeq, SystemFlags SystemFlags, string Keywords, long Size, DateTime InternalDate, DateTime? Date, string BodyKey)
{
    public MessageFlags Flags => MessageFlags.Stored(SystemFlags, Keywords);
}
