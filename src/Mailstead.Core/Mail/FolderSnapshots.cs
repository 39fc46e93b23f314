using System.Collections.Concurrent;

namespace Mailstead.Core.Mail;

/// <summary>The entries of a folder's messages, in UID order, as they were at one of the folder's modseqs.</summary>
public sealed class FolderSnapshot
{
    private readonly MessageEntry[] _entries;

    internal FolderSnapshot(MailFolder? folder, long modSeq, MessageEntry[] entries, long signal, long takenAt)
    {
        Folder = folder;
        ModSeq = modSeq;
        _entries = entries;
        Signal = signal;
        TakenAt = takenAt;
    }

    /// <summary>The folder row read with the entries; null when the folder was deleted.</summary>
    public MailFolder? Folder { get; }

    /// <summary>Every change to the folder up to this modseq is in the snapshot (later ones may be too).</summary>
    public long ModSeq { get; }

    /// <summary>How many change signals of the folder had been counted when the snapshot was read.</summary>
    internal long Signal { get; }

    /// <summary>When it was read (<see cref="Environment.TickCount64"/>).</summary>
    internal long TakenAt { get; }

    public IReadOnlyList<MessageEntry> Entries => _entries;

    /// <summary>The UIDs of <see cref="Entries"/>, in order, without a copy.</summary>
    public IReadOnlyList<long> Uids => new UidList(_entries);

    public MessageEntry? Find(long uid)
    {
        int low = 0, high = _entries.Length - 1;
        while (low <= high)
        {
            var middle = (low + high) >>> 1;
            var found = _entries[middle].Uid;
            if (found == uid)
            {
                return _entries[middle];
            }

            if (found < uid)
            {
                low = middle + 1;
            }
            else
            {
                high = middle - 1;
            }
        }

        return null;
    }

    private sealed class UidList(MessageEntry[] entries) : IReadOnlyList<long>
    {
        public long this[int index] => entries[index].Uid;

        public int Count => entries.Length;

        public IEnumerator<long> GetEnumerator() => entries.Select(e => e.Uid).GetEnumerator();

        System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => GetEnumerator();
    }
}

/// <summary>
/// Snapshots of folders' message entries, shared by every session of this process, as Dovecot's index files are
/// shared by its processes: SELECT, FETCH, SEARCH and the catching up after a change read them from memory instead of
/// each reading the folder's rows. A snapshot is brought up to date from the database by what changed since its
/// modseq (every change to a folder's messages takes a new modseq from the folder row, expunges included), so it is
/// never stale once the caller names the modseq it must reach. It also counts the folder's change signals
/// (<see cref="FolderEvents"/>, which the cluster relay replays from other nodes), so the sessions woken by one change
/// share one refresh instead of each reading the folder row. Bounded by entries: when full it is emptied, which costs
/// only the reads a refill repeats.
/// </summary>
public sealed class FolderSnapshots
{
    private readonly IMessageStore _metadata;
    private readonly int _budgetEntries;
    private readonly ConcurrentDictionary<long, FolderSnapshot> _snapshots = new();
    private readonly ConcurrentDictionary<long, long> _signals = new();
    private readonly Lock _gate = new();
    private long _entries;

    public FolderSnapshots(IMessageStore metadata, FolderEvents events, int budgetEntries)
    {
        ArgumentNullException.ThrowIfNull(events);
        _metadata = metadata;
        _budgetEntries = budgetEntries;
        // Every-folder handlers run before a folder's own subscribers: a session woken by a change finds it counted.
        events.SubscribeAll(folderId => _signals.AddOrUpdate(folderId, 1, (_, count) => count + 1));
    }

    /// <summary>
    /// The folder's entries with every change up to <paramref name="atLeastModSeq"/> (the modseq the caller last saw
    /// of the folder row, or told its client); an empty snapshot when the folder is gone.
    /// </summary>
    public Task<FolderSnapshot> GetAsync(long folderId, long atLeastModSeq, CancellationToken cancellationToken) =>
        GetAsync(folderId, atLeastModSeq, 0, long.MinValue, cancellationToken);

    /// <summary>
    /// As <see cref="GetAsync(long, long, CancellationToken)"/>, with every change signalled so far and read from the
    /// database less than <paramref name="maxAge"/> ago (for changes no signal reports: another process's).
    /// </summary>
    public Task<FolderSnapshot> GetCurrentAsync(long folderId, long atLeastModSeq, TimeSpan maxAge, CancellationToken cancellationToken) =>
        GetAsync(folderId, atLeastModSeq, _signals.GetValueOrDefault(folderId), Environment.TickCount64 - (long)maxAge.TotalMilliseconds, cancellationToken);

    private async Task<FolderSnapshot> GetAsync(long folderId, long atLeastModSeq, long atLeastSignal, long takenAfter, CancellationToken cancellationToken)
    {
        var cached = _snapshots.GetValueOrDefault(folderId);
        if (cached is not null && cached.ModSeq >= atLeastModSeq && cached.Signal >= atLeastSignal && cached.TakenAt > takenAfter)
        {
            return cached;
        }

        // Counted before the read: a change signalled later may or may not be in it, so it does not count as seen.
        var signal = _signals.GetValueOrDefault(folderId);
        var takenAt = Environment.TickCount64;
        if (await _metadata.ReadChangesSinceAsync(folderId, cached?.ModSeq ?? 0, cancellationToken).ConfigureAwait(false) is not { } changes)
        {
            Keep(folderId, null);
            return new FolderSnapshot(null, atLeastModSeq, [], signal, takenAt);
        }

        var (folder, changed) = changes;
        MessageEntry[] entries;
        if (cached is null)
        {
            entries = [.. changed];
        }
        else if (cached.Entries.Count + changed.Count(e => cached.Find(e.Uid) is null) is var count && count == folder.MessageCount)
        {
            // Every message the snapshot had is still there (the count read with the changes says so): nothing to
            // learn from the folder's UIDs, which a large folder would pay for on every delivery.
            entries = Overlay(cached, changed, count);
        }
        else
        {
            entries = Merge(cached, await _metadata.ListUidsAsync(folderId, cancellationToken).ConfigureAwait(false), changed);
        }

        var snapshot = new FolderSnapshot(folder, folder.HighestModSeq, entries, signal, takenAt);
        Keep(folderId, snapshot);
        return snapshot;
    }

    // The UIDs there now, each with its changed entry if it has one, else the one it had (all three lists in UID
    // order). A UID in neither came after the changes were read: it is left for the next time.
    private static MessageEntry[] Merge(FolderSnapshot old, IReadOnlyList<long> uids, IReadOnlyList<MessageEntry> changed)
    {
        var merged = new List<MessageEntry>(uids.Count);
        var previous = old.Entries;
        int p = 0, c = 0;
        foreach (var uid in uids)
        {
            while (c < changed.Count && changed[c].Uid < uid)
            {
                c++;
            }

            while (p < previous.Count && previous[p].Uid < uid)
            {
                p++;
            }

            if (c < changed.Count && changed[c].Uid == uid)
            {
                merged.Add(changed[c]);
            }
            else if (p < previous.Count && previous[p].Uid == uid)
            {
                merged.Add(previous[p]);
            }
        }

        return [.. merged];
    }

    // Every entry of the old snapshot and every changed one (both in UID order), a changed entry replacing the old
    // one of its UID.
    private static MessageEntry[] Overlay(FolderSnapshot old, IReadOnlyList<MessageEntry> changed, int count)
    {
        var previous = old.Entries;
        var merged = new MessageEntry[count];
        int p = 0, c = 0, m = 0;
        while (p < previous.Count || c < changed.Count)
        {
            if (c == changed.Count || (p < previous.Count && previous[p].Uid < changed[c].Uid))
            {
                merged[m++] = previous[p++];
                continue;
            }

            if (p < previous.Count && previous[p].Uid == changed[c].Uid)
            {
                p++;
            }

            merged[m++] = changed[c++];
        }

        return merged;
    }

    // Writers take turns, so the count of entries kept stays exact; readers never wait.
    private void Keep(long folderId, FolderSnapshot? snapshot)
    {
        lock (_gate)
        {
            var current = _snapshots.GetValueOrDefault(folderId);
            if (snapshot is not null && current is not null && current.ModSeq > snapshot.ModSeq)
            {
                // Another session brought it further meanwhile.
                return;
            }

            _entries += (snapshot?.Entries.Count ?? 0) - (current?.Entries.Count ?? 0);
            if (snapshot is null)
            {
                _snapshots.TryRemove(folderId, out _);
                return;
            }

            if (_entries > _budgetEntries)
            {
                _snapshots.Clear();
                _entries = snapshot.Entries.Count;
            }

            _snapshots[folderId] = snapshot;
        }
    }
}
