using Mailstead.Core.Mail;
using Mailstead.Protocols.Imap.Commands;
using Microsoft.Extensions.Logging;

namespace Mailstead.Protocols.Imap;

// SELECT, EXAMINE, CLOSE, UNSELECT (RFC 3501 §6.3.1-2, §6.4.2, RFC 3691), and keeping the selected folder's
// view in step with changes made by other sessions, the webmail and deliveries.
internal sealed partial class ImapSession
{
    private SelectedFolder? _selected;
    private IDisposable? _folderSubscription;

    // Changes made through this process signal the session (OnFolderChanged); another process's (the CLI's import, a
    // node without the PostgreSQL relay) do not, so without a signal the database is still looked at this often.
    private const long UnsignalledLookMilliseconds = 1000;

    // Raised by FolderEvents on the publisher's thread: it only records the signal and wakes an IDLE wait.
    private int _folderChanged;
    private long _lastLook;
    private CancellationTokenSource? _wake;

    private async Task<Reply> SelectAsync(SelectCommand select)
    {
        if (select.QResync is not null && !_qresync)
        {
            return Reply.Bad(QResyncNotEnabled);
        }

        // RFC 3501 §6.3.1: SELECT deselects first, so a failed SELECT leaves no folder selected. RFC 7162 §3.2.11
        // and RFC 9051 §6.3.2: a QRESYNC or IMAP4rev2 client is told where the old folder's responses end.
        if ((_qresync || _imap4rev2) && _selected is not null)
        {
            Untagged("* OK [CLOSED] Previous folder closed.");
        }

        await DeselectAsync(Ended).ConfigureAwait(false);
        if (select.CondStore)
        {
            // RFC 7162 §3.1.8; with no folder selected now, the HIGHESTMODSEQ below is the only one sent.
            EnableCondStore();
        }

        var folder = await Store.Metadata.FindFolderAsync(_mailboxId, select.Mailbox, Ended).ConfigureAwait(false);
        if (folder is null)
        {
            return Reply.No("[NONEXISTENT] There is no such folder.");
        }

        _folderSubscription = Store.Events.Subscribe(folder.Id, OnFolderChanged);
        var messages = (await _services.Snapshots.GetAsync(folder.Id, folder.HighestModSeq, Ended).ConfigureAwait(false)).Entries;
        _lastLook = Environment.TickCount64;
        var readOnly = select.Name == ImapCommandName.Examine;
        _selected = new SelectedFolder(folder, messages, readOnly);
        _state = ImapState.Selected;
        await ClaimRecentAsync(_selected, Ended).ConfigureAwait(false);

        Untagged($"* FLAGS ({ImapFlags.Defined})");
        Untagged(readOnly
            ? "* OK [PERMANENTFLAGS ()] No permanent flags in a read-only folder."
            : $"* OK [PERMANENTFLAGS ({ImapFlags.Defined} \\*)] Flags and new keywords are kept.");
        Untagged($"* {messages.Count} EXISTS");
        if (_imap4rev2)
        {
            // RFC 9051 §6.3.2: a LIST of the mailbox instead of RECENT and UNSEEN (deprecated, Appendix E items 11, 12).
            var folders = await Store.Metadata.ListFoldersAsync(_mailboxId, Ended).ConfigureAwait(false);
            Untagged(ListResponse("LIST", ListAttributes(folder, HasChildren(new SortedSet<string>(folders.Select(f => f.Name), StringComparer.Ordinal), folder.Name)), folder.Name));
        }
        else
        {
            Untagged($"* {_selected.RecentCount} RECENT");
            var firstUnseen = messages.Select((m, i) => (m.SystemFlags, Index: i)).FirstOrDefault(m => (m.SystemFlags & SystemFlags.Seen) == 0, (SystemFlags: SystemFlags.Seen, Index: -1)).Index;
            if (firstUnseen >= 0)
            {
                Untagged($"* OK [UNSEEN {firstUnseen + 1}] First unseen message.");
            }
        }

        Untagged($"* OK [UIDVALIDITY {folder.UidValidity}] UIDs are valid.");
        Untagged($"* OK [UIDNEXT {folder.UidNext}] Predicted next UID.");
        // RFC 7162 §3.1.2.1: always, not only after a CONDSTORE enabling command; every folder keeps modseqs.
        Untagged($"* OK [HIGHESTMODSEQ {_selected.KnownModSeq}] Highest modseq.");
        if (select.QResync is { } known)
        {
            await ResynchronizeAsync(known).ConfigureAwait(false);
        }

        return Reply.Ok(readOnly ? "[READ-ONLY] EXAMINE completed." : "[READ-WRITE] SELECT completed.");
    }

    /// <summary>RFC 3501 §6.4.2: removes \Deleted messages without EXPUNGE responses, then deselects.</summary>
    private async Task<Reply> CloseAsync()
    {
        var selected = _selected!;
        await DeselectAsync(Ended).ConfigureAwait(false);
        if (!selected.ReadOnly)
        {
            await Store.ExpungeAsync(selected.Folder.Id, null, Ended).ConfigureAwait(false);
        }

        return Reply.Ok("CLOSE completed.");
    }

    /// <summary>RFC 3691: deselects without expunging.</summary>
    private async Task<Reply> UnselectAsync()
    {
        await DeselectAsync(Ended).ConfigureAwait(false);
        return Reply.Ok("UNSELECT completed.");
    }

    private async Task DeselectAsync(CancellationToken cancellationToken)
    {
        var selected = _selected;
        _folderSubscription?.Dispose();
        _folderSubscription = null;
        _selected = null;
        if (_state == ImapState.Selected)
        {
            _state = ImapState.Authenticated;
        }

        if (selected is not null)
        {
            await ClaimRecentAsync(selected, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// RFC 3501 §2.3.2: a read-write session takes the \Recent of the messages it has told its client of, so later
    /// sessions do not see them as recent. Done when the folder is selected and when it is left, not at every arrival
    /// (a write per delivery): a session selecting the folder in between sees those arrivals as recent too, which the
    /// RFC leaves open for sessions at the same time.
    /// </summary>
    private async Task ClaimRecentAsync(SelectedFolder selected, CancellationToken cancellationToken)
    {
        var upTo = selected.MaxUid + 1;
        if (!selected.ReadOnly && upTo > selected.RecentClaimedUpTo)
        {
            await Store.Metadata.ClaimRecentAsync(selected.Folder.Id, upTo, cancellationToken).ConfigureAwait(false);
            selected.RecentClaimedUpTo = upTo;
        }
    }

    private void OnFolderChanged()
    {
        Interlocked.Exchange(ref _folderChanged, 1);
        try
        {
            // CancelAsync runs the waiting read's continuation elsewhere: the publisher is never held up.
            _ = Volatile.Read(ref _wake)?.CancelAsync();
        }
        catch (ObjectDisposedException)
        {
            // The wait it would have ended is over already.
        }
    }

    /// <summary>
    /// The selected folder's entries with every change the client was told of, every change signalled so far and,
    /// for changes no signal reports (another process's), none older than a second: as reading the rows would give.
    /// Sessions woken by the same change share one refresh. Nothing is announced here: that waits for the end of the
    /// command.
    /// </summary>
    private Task<FolderSnapshot> EntriesAsync() =>
        _services.Snapshots.GetCurrentAsync(_selected!.Folder.Id, _selected.KnownModSeq, TimeSpan.FromMilliseconds(UnsignalledLookMilliseconds), Ended);

    /// <summary>
    /// Tells the client what changed in the selected folder since it was last told (RFC 3501 §7.3.1 EXISTS,
    /// §7.4.1 EXPUNGE, §7.4.2 FETCH FLAGS). False when the connection should end: the folder was deleted.
    /// </summary>
    private async Task<bool> SynchronizeAsync(bool allowExpunge)
    {
        var selected = _selected!;
        if (Volatile.Read(ref _folderChanged) == 0 && !(allowExpunge && selected.HasGone)
            && Environment.TickCount64 - _lastLook < UnsignalledLookMilliseconds)
        {
            return true;
        }

        // Cleared before the snapshot is asked for: a signal after this sets it again, one before is in the snapshot.
        Volatile.Write(ref _folderChanged, 0);
        _lastLook = Environment.TickCount64;
        var snapshot = await EntriesAsync().ConfigureAwait(false);
        if (snapshot.Folder is not { } folder)
        {
            Logger.LogDebug("IMAP {Client}: the selected folder {Folder} was deleted", _connection.ClientAddress, selected.Folder.Name);
            await SendAsync("* BYE The selected folder was deleted.").ConfigureAwait(false);
            return false;
        }

        // Every change to a folder's messages takes a new modseq from the folder row, so an unchanged highest modseq
        // means nothing to announce, unless expunges had to wait for a command that allows them.
        if (folder.HighestModSeq <= selected.KnownModSeq && !(allowExpunge && selected.HasGone))
        {
            return true;
        }

        var changed = snapshot.ChangedSince(selected.KnownModSeq);
        var update = selected.Apply(folder, snapshot.Uids, changed, allowExpunge);
        if (_qresync && update.Expunged.Count > 0)
        {
            // RFC 7162 §3.2.10.2: VANISHED instead of EXPUNGE once QRESYNC is on.
            Untagged($"* VANISHED {NumberSet([.. update.Expunged.Select(e => e.Uid).Order()])}");
        }
        else
        {
            foreach (var (sequence, _) in update.Expunged)
            {
                Untagged($"* {sequence} EXPUNGE");
            }
        }

        if (update.Exists is { } exists)
        {
            Untagged($"* {exists} EXISTS");
            // RFC 3501 §7.3.2; every arrival is \Recent here, so the count changed with EXISTS.
            if (!_imap4rev2)
            {
                Untagged($"* {selected.RecentCount} RECENT");
            }
        }

        foreach (var (sequence, message) in update.FlagChanges)
        {
            Untagged(FlagsResponse(sequence, message, uid: true));
        }

        return true;
    }
}
