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

        await VanishedEarlierAsync(known.KnownUids).ConfigureAwait(false);
        var largest = (uint)Math.Min(selected.MaxUid, uint.MaxValue);
        var changed = await Store.Metadata.ListChangedSinceAsync(selected.Folder.Id, (long)Math.Min(known.ModSeq, long.MaxValue), Ended).ConfigureAwait(false);
        foreach (var row in changed)
        {
            if ((known.KnownUids is null || (row.Uid <= uint.MaxValue && known.KnownUids.Contains((uint)row.Uid, largest)))
                && selected.SequenceOf(row.Uid) is { } sequence)
            {
                Untagged(FlagsResponse(sequence, row, uid: true));
                selected.Reported(row.Uid, row.ModSeq);
            }
        }
    }

    /// <summary>§3.2.10.1: the UIDs of <paramref name="known"/> (all when null) expunged before now, if any.</summary>
    private async Task VanishedEarlierAsync(SequenceSet? known)
    {
        var selected = _selected!;
        var present = await Store.Metadata.ListUidsAsync(selected.Folder.Id, Ended).ConfigureAwait(false);
        var uidNext = Math.Max(selected.Folder.UidNext, present.Count == 0 ? 1 : present[^1] + 1);
        var gone = VanishedUids.Of(known, present, uidNext);
        if (gone.Length > 0)
        {
            Untagged($"* VANISHED (EARLIER) {gone}");
        }
    }
}
