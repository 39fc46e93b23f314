using Mailstead.Protocols.Imap.Commands;

namespace Mailstead.Protocols.Imap;

// IMAP4rev2 (RFC 9051) next to IMAP4rev1: both are advertised, and a client that sends ENABLE IMAP4rev2 (§6.3.1) gets
// rev2's behaviour until the connection ends (Appendix E): mailbox names in UTF-8 instead of modified UTF-7 (§5.1),
// SEARCH answered with ESEARCH (§6.4.4), no RECENT or UNSEEN on SELECT but a LIST and [CLOSED] (§6.3.2), and
// \NonExistent for levels of the hierarchy that are not mailboxes (§7.3.1). Before that, everything stays rev1.
internal sealed partial class ImapSession
{
    private const string Imap4rev2 = "IMAP4rev2";

    private bool _imap4rev2;

    /// <summary>Not a CONDSTORE enabling command: it changes only how later responses are written.</summary>
    private void EnableImap4rev2() => _imap4rev2 = true;

    /// <summary>
    /// A mailbox name as responses write it (a quoted string): UTF-8 once IMAP4rev2 is on (RFC 9051 §5.1, QUOTED-CHAR
    /// takes UTF8-2..4 in §9), modified UTF-7 before (RFC 3501 §5.1.3).
    /// </summary>
    private string MailboxName(string name) => Quoted(_imap4rev2 ? name : ModifiedUtf7.Encode(name));

    /// <summary>
    /// A name that is only a level of the hierarchy, not a mailbox: \NonExistent in rev2 (RFC 9051 §7.3.1, which
    /// implies \Noselect, §6.3.9.4; the grammar allows one of the two), \Noselect in rev1 (RFC 3501 §7.2.2).
    /// </summary>
    private string NotAMailbox => _imap4rev2 ? @"\NonExistent" : @"\Noselect";
}
