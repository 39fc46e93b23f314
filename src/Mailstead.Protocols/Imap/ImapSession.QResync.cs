using Mailstead.Protocols.Imap.Commands;

namespace Mailstead.Protocols.Imap;

// QRESYNC (RFC 7162 §3.2): after ENABLE QRESYNC a client reopens a folder with what it last knew and is told only
// what changed since, and expunges are announced as VANISHED UIDs instead of EXPUNGE numbers.
internal sealed partial class ImapSession
{
    private const string QResyncNotEnabled = "QRESYNC needs ENABLE QRESYNC first.";

    private bool _qresync;

    /// <summary>§3.2.3: ENABLE QRESYNC also enables CONDSTORE, and it stays on until the connection closes.</summary>
    private void EnableQResync()
    {
        EnableCondStore();
        _qresync = true;
    }

    /// <summary>
    /// §3.2.5.1: after SELECT (QRESYNC (uidvalidity modseq [known-uids])), what the client missed among the UIDs it
    /// knows: VANISHED (EARLIER) first, then a FETCH for each message changed since its modseq. The message sequence
    /// match data (§3.2.5.2) only helps a server narrow down expunges it does not remember, which this answer
    /// (<see cref="VanishedUids"/>) never needs.
    /// </summary>
    private async Task ResynchronizeAsync(QResyncParameters known)
    {
        var selected = _selected!;
        // With another UIDVALIDITY the client's UIDs mean nothing here: it has to start over (§3.2.5.1).
        if (known.UidValidity != selected.Folder.UidValidity)
        {
            return;
        }

        VanishedEarlier(known.KnownUids);
        var largest = (uint)Math.Min(selected.MaxUid, uint.MaxValue);
        var changes = await Store.Metadata.ReadChangesSinceAsync(selected.Folder.Id, (long)Math.Min(known.ModSeq, long.MaxValue), Ended).ConfigureAwait(false);
        foreach (var row in changes?.Changed ?? [])
        {
            if ((known.KnownUids is null || (row.Uid <= uint.MaxValue && known.KnownUids.Contains((uint)row.Uid, largest)))
                && selected.SequenceOf(row.Uid) is { } sequence)
            {
                Untagged(FlagsResponse(sequence, row, uid: true));
                selected.Reported(row.Uid, row.ModSeq);
            }
        }
    }

    /// <summary>
    /// §3.2.10.1: the UIDs of <paramref name="known"/> (all when null) expunged before now, if any. "Now" is this
    /// session's view, not the store: a message expunged since the view was last brought up to date is still in
    /// the client's sequence map and will be announced by a VANISHED that removes it from there.
    /// </summary>
    private void VanishedEarlier(SequenceSet? known)
    {
        var selected = _selected!;
        var gone = VanishedUids.Of(known, selected.Uids, Math.Max(selected.Folder.UidNext, selected.MaxUid + 1));
        if (gone.Length > 0)
        {
            Untagged($"* VANISHED (EARLIER) {gone}");
        }
    }
}
