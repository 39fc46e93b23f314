using System.Collections.Concurrent;

namespace Mailstead.Core.Mail;

/// <summary>
/// The entries of a folder's messages, in UID order, as they were at one of the folder's modseqs. Kept in chunks of
/// <see cref="ChunkSize"/> entries (all full but the last), each with its highest modseq: a snapshot made from the
/// one before shares the chunks nothing changed in, so a delivery to a folder of 20 000 messages copies one chunk,
/// not the folder, and what changed since a modseq is found without looking at every entry.
/// </summary>
public sealed class FolderSnapshot
{
    internal const int ChunkSize = 512;

    private readonly MessageEntry[][] _chunks;
    private readonly long[] _chunkModSeqs;

    private FolderSnapshot(MailFolder? folder, long modSeq, MessageEntry[][] chunks, long[] chunkModSeqs, long signal, long takenAt)
    {
        Folder = folder;
        ModSeq = modSeq;
        _chunks = chunks;
        _chunkModSeqs = chunkModSeqs;
        Count = chunks.Length == 0 ? 0 : ((chunks.Length - 1) * ChunkSize) + chunks[^1].Length;
        Signal = signal;
        TakenAt = takenAt;
    }

    internal FolderSnapshot(MailFolder? folder, long modSeq, IReadOnlyList<MessageEntry> entries, long signal, long takenAt)
        : this(folder, modSeq, [.. entries.Chunk(ChunkSize)], signal, takenAt)
    {
    }

    private FolderSnapshot(MailFolder? folder, long modSeq, MessageEntry[][] chunks, long signal, long takenAt)
        : this(folder, modSeq, chunks, [.. chunks.Select(HighestModSeq)], signal, takenAt)
    {
    }

    /// <summary>The folder row read with the entries; null when the folder was deleted.</summary>
    public MailFolder? Folder { get; }

    /// <summary>Every change to the folder up to this modseq is in the snapshot (later ones may be too).</summary>
    public long ModSeq { get; }

    public int Count { get; }

    /// <summary>How many change signals of the folder had been counted when the snapshot was read.</summary>
    internal long Signal { get; }

    /// <summary>When it was read (<see cref="Environment.TickCount64"/>).</summary>
    internal long TakenAt { get; }

    public IReadOnlyList<MessageEntry> Entries => new View<MessageEntry>(this, e => e);

    /// <summary>The UIDs of <see cref="Entries"/>, in order, without a copy.</summary>
    public IReadOnlyList<long> Uids => new View<long>(this, e => e.Uid);

    public MessageEntry? Find(long uid)
    {
        var index = IndexOf(uid);
        return index < 0 ? null : this[index];
    }

    /// <summary>The entries whose modseq is above <paramref name="modSeq"/>, in UID order.</summary>
    public IReadOnlyList<MessageEntry> ChangedSince(long modSeq)
    {
        var changed = new List<MessageEntry>();
        for (var c = 0; c < _chunks.Length; c++)
        {
            if (_chunkModSeqs[c] > modSeq)
            {
                changed.AddRange(_chunks[c].Where(e => e.ModSeq > modSeq));
            }
        }

        return changed;
    }

    private MessageEntry this[int index] => _chunks[index / ChunkSize][index % ChunkSize];

    /// <summary>
    /// This snapshot with <paramref name="changed"/> (in UID order) laid over it: an entry of a UID it has replaces
    /// that entry, one of a newer UID is added at the end. Null when a changed UID is neither (older than the newest
    /// and not there): the caller rebuilds instead.
    /// </summary>
    internal FolderSnapshot? Overlay(MailFolder folder, long modSeq, IReadOnlyList<MessageEntry> changed, long signal, long takenAt)
    {
        var chunks = new List<MessageEntry[]>(_chunks);
        var chunkModSeqs = new List<long>(_chunkModSeqs);
        var copied = new HashSet<int>();
        var tail = new List<MessageEntry>();
        var newest = Count == 0 ? 0 : this[Count - 1].Uid;
        foreach (var entry in changed)
        {
            if (entry.Uid > newest)
            {
                tail.Add(entry);
                continue;
            }

            var index = IndexOf(entry.Uid);
            if (index < 0)
            {
                return null;
            }

            var c = index / ChunkSize;
            if (copied.Add(c))
            {
                chunks[c] = (MessageEntry[])chunks[c].Clone();
            }

            chunks[c][index % ChunkSize] = entry;
            chunkModSeqs[c] = Math.Max(chunkModSeqs[c], entry.ModSeq);
        }

        if (tail.Count > 0)
        {
            // The last chunk, if not full, is filled up before new ones are started.
            MessageEntry[] last = chunks.Count > 0 && chunks[^1].Length < ChunkSize ? chunks[^1] : [];
            if (last.Length > 0)
            {
                chunks.RemoveAt(chunks.Count - 1);
                chunkModSeqs.RemoveAt(chunkModSeqs.Count - 1);
            }

            foreach (var chunk in last.Concat(tail).Chunk(ChunkSize))
            {
                chunks.Add(chunk);
                chunkModSeqs.Add(HighestModSeq(chunk));
            }
        }

        return new FolderSnapshot(folder, modSeq, [.. chunks], [.. chunkModSeqs], signal, takenAt);
    }

    private static long HighestModSeq(MessageEntry[] chunk) => chunk.Max(e => e.ModSeq);

    private int IndexOf(long uid)
    {
        int low = 0, high = Count - 1;
        while (low <= high)
        {
            var middle = (low + high) >>> 1;
            var found = this[middle].Uid;
            if (found == uid)
            {
                return middle;
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

        return -1;
    }

    private sealed class View<T>(FolderSnapshot snapshot, Func<MessageEntry, T> select) : IReadOnlyList<T>
    {
        public T this[int index] => (uint)index < (uint)snapshot.Count ? select(snapshot[index]) : throw new ArgumentOutOfRangeException(nameof(index));

        public int Count => snapshot.Count;

        public IEnumerator<T> GetEnumerator() => snapshot._chunks.SelectMany(c => c).Select(select).GetEnumerator();

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
            return new FolderSnapshot(null, atLeastModSeq, Array.Empty<MessageEntry>(), signal, takenAt);
        }

        var (folder, changed) = changes;
        var snapshot = cached is null
            ? new FolderSnapshot(folder, folder.HighestModSeq, changed, signal, takenAt)
            : await UpdateAsync(cached, changes, signal, takenAt, cancellationToken).ConfigureAwait(false);
        Keep(folderId, snapshot);
        return snapshot;
    }

    private async Task<FolderSnapshot> UpdateAsync(FolderSnapshot cached, FolderChanges changes, long signal, long takenAt, CancellationToken cancellationToken)
    {
        var (folder, changed) = changes;
        // Every message the snapshot had is still there when the count read with the changes says so: nothing to
        // learn from the folder's UIDs, which a large folder would pay for on every delivery.
        if (cached.Count + changed.Count(e => cached.Find(e.Uid) is null) == folder.MessageCount
            && cached.Overlay(folder, folder.HighestModSeq, changed, signal, takenAt) is { } overlaid)
        {
            return overlaid;
        }

        var uids = await _metadata.ListUidsAsync(folder.Id, cancellationToken).ConfigureAwait(false);
        return new FolderSnapshot(folder, folder.HighestModSeq, Merge(cached, uids, changed), signal, takenAt);
    }

    // The UIDs there now, each with its changed entry if it has one, else the one it had (all three lists in UID
    // order). A UID in neither came after the changes were read: it is left for the next time.
    private static List<MessageEntry> Merge(FolderSnapshot old, IReadOnlyList<long> uids, IReadOnlyList<MessageEntry> changed)
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

            _entries += (snapshot?.Count ?? 0) - (current?.Count ?? 0);
            if (snapshot is null)
            {
                _snapshots.TryRemove(folderId, out _);
                return;
            }

            if (_entries > _budgetEntries)
            {
                _snapshots.Clear();
                _entries = snapshot.Count;
            }

            _snapshots[folderId] = snapshot;
        }
    }
}
