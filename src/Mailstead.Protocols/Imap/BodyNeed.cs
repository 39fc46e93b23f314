namespace Mailstead.Protocols.Imap;

/// <summary>
/// How much of a message's file a FETCH or SEARCH must read. ENVELOPE, header fields and header searches (what mail
/// programs ask for to show a message list) need the header only; attachments are most of the bytes of a folder.
/// </summary>
internal enum BodyNeed
{
    None,
    Header,
    Whole,
}
