using Mailstead.Core.Mail;
using Mailstead.Protocols.Imap.Commands;

namespace Mailstead.Protocols.Imap;

// STORE, COPY, MOVE, EXPUNGE and UID EXPUNGE (RFC 3501 §6.4.3, §6.4.6-7, RFC 6851, RFC 4315 §2.1, §3).
// Expunged messages are announced by the synchronisation that precedes every tagged response, so this session's
// EXPUNGE, MOVE and those of others are numbered the same way.
internal sealed partial class ImapSession
{
    private const string ReadOnlyRefusal = "[READ-ONLY] The folder was opened with EXAMINE.";

    private async Task<Reply> StoreAsync(StoreCommand store)
    {
        var selected = _selected!;
        if (selected.ReadOnly)
        {
            return Reply.No(ReadOnlyRefusal);
        }

        var targets = selected.Resolve(store.Set, store.Uid);
        if (targets is null)
        {
            return Reply.Bad("No such message: the sequence set goes beyond the folder.");
        }

        if (!ImapFlags.TryParse(store.Flags, out var flags, out var error))
        {
            return Reply.Bad(error!);
        }

        var change = store.Mode switch
        {
            StoreMode.Add => FlagChange.Add,
            StoreMode.Remove => FlagChange.Remove,
            _ => FlagChange.Replace,
        };
        if (store.UnchangedSince is not null)
        {
            EnableCondStore();
        }

        // RFC 7162 §3.2.4: once CONDSTORE is on, a QRESYNC server puts the UID in every untagged FETCH.
        var withUid = store.Uid || _condStore;
        var modified = new List<long>();
        var tooMany = new List<long>();
        foreach (var chunk in targets.Chunk(Batch))
        {
            var uids = chunk.Select(t => t.Uid).ToList();
            // Mod-sequences are 63-bit (§3.1): a larger UNCHANGEDSINCE, or none, lets every message through.
            var since = store.UnchangedSince is { } given ? (long)Math.Min(given, long.MaxValue) : long.MaxValue;
            var result = await Store.SetFlagsUnlessChangedAsync(selected.Folder.Id, uids, change, flags, since, Ended).ConfigureAwait(false);
            var changed = result.Changed;
            modified.AddRange(chunk.Where(t => result.Modified.Contains(t.Uid)).Select(t => store.Uid ? t.Uid : t.Sequence));
            tooMany.AddRange(chunk.Where(t => result.TooManyKeywords.Contains(t.Uid)).Select(t => store.Uid ? t.Uid : t.Sequence));

            if (store.Silent)
            {
                // .SILENT (§6.4.6): the client knows what it set; only others' changes are announced later. A
                // CONDSTORE-aware client still learns the new modseqs (RFC 7162 §3.1.3: a MUST after UNCHANGEDSINCE).
                foreach (var row in changed)
                {
                    if (_condStore && selected.SequenceOf(row.Uid) is { } sequence)
                    {
                        Untagged(FlagsResponse(sequence, row.Entry, withUid, flags: false));
                    }

                    selected.Reported(row.Uid, row.ModSeq);
                }

                continue;
            }

            // Without .SILENT every message of the set answers with its flags, changed or not; one refused by
            // UNCHANGEDSINCE so shows the client why (RFC 7162 §3.1.3, example 10).
            var rows = await Store.Metadata.ListEntriesAsync(selected.Folder.Id, uids[0], uids[^1], Ended).ConfigureAwait(false);
            var byUid = rows.ToDictionary(r => r.Uid);
            foreach (var (sequence, uid) in chunk)
            {
                if (byUid.TryGetValue(uid, out var row))
                {
                    Untagged(FlagsResponse(sequence, row, withUid));
                    selected.Reported(uid, row.ModSeq);
                }
            }

            if (!await _connection.FlushAsync().ConfigureAwait(false))
            {
                return Reply.End;
            }
        }

        if (tooMany.Count > 0)
        {
            return Reply.No($"[LIMIT] Messages {NumberSet([.. tooMany.Order()])} would have more keywords than the {MessageFlags.MaxStoredKeywordsLength} characters a message keeps; they were left as they are.");
        }

        // §3.1.3: the messages that failed the UNCHANGEDSINCE test, as numbers or (UID STORE) UIDs.
        return modified.Count == 0
            ? Reply.Ok("STORE completed.")
            : Reply.Ok($"[MODIFIED {NumberSet([.. modified.Order()])}] Some messages changed since; they were left as they are.");
    }

    /// <summary>COPY and MOVE: the target is [TRYCREATE] when missing (§6.4.7); the new UIDs come back as COPYUID.</summary>
    private async Task<Reply> CopyAsync(CopyCommand copy)
    {
        var selected = _selected!;
        var move = copy.Name == ImapCommandName.Move;
        var verb = move ? "MOVE" : "COPY";
        if (move && selected.ReadOnly)
        {
            return Reply.No(ReadOnlyRefusal);
        }

        var targets = selected.Resolve(copy.Set, copy.Uid);
        if (targets is null)
        {
            return Reply.Bad("No such message: the sequence set goes beyond the folder.");
        }

        var destination = await Store.Metadata.FindFolderAsync(_mailboxId, copy.Mailbox, Ended).ConfigureAwait(false);
        if (destination is null)
        {
            return Reply.No("[TRYCREATE] There is no such folder.");
        }

        var pairs = targets.Count == 0
            ? []
            : await Store.CopyAsync(selected.Folder.Id, [.. targets.Select(t => t.Uid)], destination.Id, move, Ended).ConfigureAwait(false);
        if (pairs.Count == 0)
        {
            return Reply.Ok($"{verb} completed: nothing to {verb.ToLowerInvariant()}.");
        }

        var copyUid = $"[COPYUID {destination.UidValidity} {NumberSet([.. pairs.Select(p => p.Source)])} {NumberSet([.. pairs.Select(p => p.Target)])}]";
        if (!move)
        {
            return Reply.Ok($"{copyUid} COPY completed.");
        }

        // RFC 6851 §4.3: COPYUID goes in an untagged OK before the EXPUNGE responses.
        Untagged($"* OK {copyUid} Moved.");
        return Reply.Ok("MOVE completed.");
    }

    private async Task<Reply> ExpungeAsync(ExpungeCommand expunge)
    {
        var selected = _selected!;
        if (selected.ReadOnly)
        {
            return Reply.No(ReadOnlyRefusal);
        }

        IReadOnlyCollection<long>? uids = null;
        if (expunge.Uids is { } set)
        {
            // RFC 4315 §2.1: only the named messages that are \Deleted.
            uids = [.. selected.Resolve(set, uid: true)!.Select(t => t.Uid)];
            if (uids.Count == 0)
            {
                return Reply.Ok("UID EXPUNGE completed.");
            }
        }

        await Store.ExpungeAsync(selected.Folder.Id, uids, Ended).ConfigureAwait(false);
        return Reply.Ok(uids is null ? "EXPUNGE completed." : "UID EXPUNGE completed.");
    }
}
