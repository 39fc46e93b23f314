using Mailstead.Core.Mail;

namespace Mailstead.Protocols.Imap;

// CONDSTORE (RFC 7162 §3.1): a client that has sent a CONDSTORE enabling command is told each message's modseq in
// every untagged FETCH from then on, and the selected folder's HIGHESTMODSEQ the first time.
internal sealed partial class ImapSession
{
    private bool _condStore;

    /// <summary>§3.1: run by every CONDSTORE enabling command; the first one with a folder selected announces its HIGHESTMODSEQ.</summary>
    private void EnableCondStore()
    {
        if (_condStore)
        {
            return;
        }

        _condStore = true;
        if (_selected is { } selected)
        {
            Untagged($"* OK [HIGHESTMODSEQ {selected.KnownModSeq}] Modseqs follow in FETCH responses.");
        }
    }

    /// <summary>
    /// An untagged FETCH that tells the client a message's flags (unless <paramref name="flags"/> is false) outside
    /// a FETCH command: a STORE's answer or another session's change. A CONDSTORE-aware client gets its modseq too
    /// (§3.1.3, §3.1.4.2).
    /// </summary>
    private string FlagsResponse(int sequence, MessageEntry row, bool uid, bool flags = true)
    {
        var items = new List<string>(3);
        if (uid)
        {
            items.Add($"UID {row.Uid}");
        }

        if (flags)
        {
            items.Add("FLAGS " + FlagList(row));
        }

        if (_condStore)
        {
            items.Add($"MODSEQ ({row.ModSeq})");
        }

        return $"* {sequence} FETCH ({string.Join(' ', items)})";
    }

    /// <summary>The message's flags as this session shows them: \Recent is gone from IMAP4rev2 (RFC 9051 Appendix E item 11).</summary>
    private string FlagList(MessageEntry row) => ImapFlags.Format(row.Flags, recent: !_imap4rev2 && _selected!.IsRecent(row.Uid));
}
