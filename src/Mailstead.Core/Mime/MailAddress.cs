namespace Mailstead.Core.Mime;

// An entry of an RFC 5322 §3.4 address list: a mailbox or a group of mailboxes.
// Names keep their RFC 2047 encoded words (IMAP hands them on undecoded); use
// EncodedWords.Decode to show them.
public abstract record MailAddress;

// Route is the obsolete source route of RFC 5322 §4.4 ("@a,@b"), kept because
// IMAP's address structure has a place for it. Domain is "" when the address had
// none (a bare local part such as "undisclosed-recipients").
public sealed record MailboxAddress(string? DisplayName, string? Route, string LocalPart, string Domain) : MailAddress;

public sealed record GroupAddress(string DisplayName, IReadOnlyList<MailboxAddress> Members) : MailAddress;
