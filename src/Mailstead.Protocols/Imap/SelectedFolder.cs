using Mailstead.Core.Mail;
using Mailstead.Protocols.Imap.Commands;

namespace Mailstead.Protocols.Imap;

/// <summary>One message of the selected folder as this session has announced it to its client.</summary>
internal sealed class SelectedMessage(long uid, long modSeq)
{
    public long Uid { get; } = uid;

    /// <summary>The modseq whose flags the client has been told (so a change is announced once).</summary>
    public long ModSeq { get; set; } = modSeq;

    /// <summary>Expunged by someone else while EXPUNGE responses were not allowed; it keeps its number until they are (RFC 2180 §4.1).</summary>
    public bool Gone { get; set; }
}

/// <summary>What changed in the folder since the client was last told, in the order to announce it.</summary>
internal sealed record FolderUpdate(IReadOnlyList<(int Sequence, long Uid)> Expunged, int? Exists, IReadOnlyList<(int Sequence, MessageEntry Message)> FlagChanges)
{
    public static FolderUpdate None { get; } = new([], null, []);
}

/// <summary>
/// The selected folder's view this session keeps in step with its client: message sequence numbers ↔ UIDs
/// (RFC 3501 §2.3.1.2) and the flags already announced. Changes from elsewhere are merged by <see cref="Apply"/>,
/// which says what to tell the client; nothing else renumbers messages.
/// </summary>
internal sealed class SelectedFolder
{
    private readonly List<SelectedMessage> _messages;
    private int _gone;

    public SelectedFolder(MailFolder folder, IReadOnlyList<MessageEntry> messages, bool readOnly)
    {
        ArgumentNullException.ThrowIfNull(folder);
        ArgumentNullException.ThrowIfNull(messages);
        Folder = folder;
        ReadOnly = readOnly;
        _messages = [.. messages.Select(m => new SelectedMessage(m.Uid, m.ModSeq))];
        FirstRecentUid = folder.FirstRecentUid;
        RecentClaimedUpTo = folder.FirstRecentUid;
        KnownModSeq = Math.Max(folder.HighestModSeq, messages.Count == 0 ? 0 : messages.Max(m => m.ModSeq));
    }

    public MailFolder Folder { get; private set; }

    /// <summary>EXAMINE (RFC 3501 §6.3.2): nothing may change, not even \Seen.</summary>
    public bool ReadOnly { get; }

    /// <summary>
    /// Messages from this UID on are \Recent in this session (RFC 3501 §2.3.2): those no read-write session had been
    /// told of when the folder was selected, and every one that arrived since.
    /// </summary>
    public long FirstRecentUid { get; }

    /// <summary>How far the folder's <see cref="MailFolder.FirstRecentUid"/> is known to have been moved by this session.</summary>
    public long RecentClaimedUpTo { get; set; }

    public bool IsRecent(long uid) => uid >= FirstRecentUid;

    public int RecentCount => _messages.Count - FirstAtLeast(FirstRecentUid);

    /// <summary>The folder's highest modseq the last time the view was brought up to date.</summary>
    public long KnownModSeq { get; private set; }

    public int Count => _messages.Count;

    /// <summary>Whether some message vanished and its EXPUNGE is still to be sent.</summary>
    public bool HasGone => _gone > 0;

    public long MaxUid => _messages.Count == 0 ? 0 : _messages[^1].Uid;

    /// <summary>The UIDs the client was told of, in order (those gone but not yet announced included).</summary>
    public IReadOnlyList<long> Uids => [.. _messages.Select(m => m.Uid)];

    /// <summary>Every message's number and UID, in order, without a list of them (SEARCH looks at each).</summary>
    public IEnumerable<(int Sequence, long Uid)> Numbered()
    {
        for (var i = 0; i < _messages.Count; i++)
        {
            yield return (i + 1, _messages[i].Uid);
        }
    }

    /// <summary>
    /// "$", what the last SEARCH RETURN (SAVE) found (RFC 9051 §6.4.4.1); a new selection starts empty. Kept as UIDs:
    /// an expunged message drops out by itself, and "$" means the same messages to FETCH and to UID FETCH.
    /// </summary>
    public IReadOnlySet<long> SavedResult { get; set; } = new HashSet<long>();

    /// <summary>
    /// The messages a sequence set names, in sequence order. Message numbers beyond the folder make the set
    /// invalid (null, answered BAD); UIDs that do not exist are skipped (RFC 3501 §6.4.8). "$" names the saved
    /// result's messages still here, as numbers or UIDs alike, and is never invalid (even empty, §6.4.4.1).
    /// </summary>
    public IReadOnlyList<(int Sequence, long Uid)>? Resolve(SequenceSet set, bool uid)
    {
        ArgumentNullException.ThrowIfNull(set);
        var result = new List<(int, long)>();
        if (set.IsSavedResult)
        {
            for (var i = 0; i < _messages.Count; i++)
            {
                if (SavedResult.Contains(_messages[i].Uid))
                {
                    result.Add((i + 1, _messages[i].Uid));
                }
            }

            return result;
        }

        if (uid)
        {
            var largest = (uint)Math.Min(MaxUid, uint.MaxValue);
            for (var i = 0; i < _messages.Count; i++)
            {
                if (_messages[i].Uid <= uint.MaxValue && set.Contains((uint)_messages[i].Uid, largest))
                {
                    result.Add((i + 1, _messages[i].Uid));
                }
            }

            return result;
        }

        var count = (uint)_messages.Count;
        if (set.Ranges.Any(r => (r.First != SequenceRange.Star && r.First > count) || (r.Last != SequenceRange.Star && r.Last > count)))
        {
            return null;
        }

        for (var i = 0; i < _messages.Count; i++)
        {
            if (set.Contains((uint)(i + 1), count))
            {
                result.Add((i + 1, _messages[i].Uid));
            }
        }

        return result;
    }

    public int? SequenceOf(long uid)
    {
        var index = IndexOf(uid);
        return index < 0 ? null : index + 1;
    }

    /// <summary>Records that the client was told the flags of <paramref name="uid"/> as of <paramref name="modSeq"/>.</summary>
    public void Reported(long uid, long modSeq)
    {
        var index = IndexOf(uid);
        if (index >= 0 && _messages[index].ModSeq < modSeq)
        {
            _messages[index].ModSeq = modSeq;
        }
    }

    /// <summary>
    /// Merges the folder as it is now (<paramref name="uids"/>, in UID order, and the rows changed since
    /// <see cref="KnownModSeq"/>). Without <paramref name="allowExpunge"/> (during FETCH, STORE, SEARCH: RFC 3501
    /// §7.4.1) vanished messages keep their numbers, marked gone, until a later call may announce them.
    /// </summary>
    public FolderUpdate Apply(MailFolder folder, IReadOnlyList<long> uids, IReadOnlyList<MessageEntry> changed, bool allowExpunge)
    {
        ArgumentNullException.ThrowIfNull(folder);
        ArgumentNullException.ThrowIfNull(uids);
        ArgumentNullException.ThrowIfNull(changed);
        Folder = folder;
        KnownModSeq = Math.Max(KnownModSeq, folder.HighestModSeq);

        var expunged = _gone == 0 && KnownCount(uids) == _messages.Count ? [] : Vanished(uids, allowExpunge);
        var modSeqs = changed.ToDictionary(m => m.Uid, m => m.ModSeq);
        var maxUid = MaxUid;
        var before = _messages.Count;
        var added = uids.Count;
        while (added > 0 && uids[added - 1] > maxUid)
        {
            added--;
        }

        for (; added < uids.Count; added++)
        {
            _messages.Add(new SelectedMessage(uids[added], modSeqs.GetValueOrDefault(uids[added])));
        }

        var flagChanges = new List<(int, MessageEntry)>();
        foreach (var row in changed)
        {
            var index = IndexOf(row.Uid);
            if (index >= 0 && index < before && !_messages[index].Gone && row.ModSeq > _messages[index].ModSeq)
            {
                _messages[index].ModSeq = row.ModSeq;
                flagChanges.Add((index + 1, row));
            }
        }

        return new FolderUpdate(expunged, _messages.Count > before ? _messages.Count : null, flagChanges);
    }

    // How many of the folder's UIDs (in order) this view has seen: UIDs are committed in increasing order, so those up
    // to the highest it knows are a subset of its own, and as many means nothing vanished, without walking the folder.
    private int KnownCount(IReadOnlyList<long> uids)
    {
        var maxUid = MaxUid;
        int low = 0, high = uids.Count;
        while (low < high)
        {
            var middle = (low + high) >>> 1;
            if (uids[middle] <= maxUid)
            {
                low = middle + 1;
            }
            else
            {
                high = middle;
            }
        }

        return low;
    }

    // Highest number first: each EXPUNGE renumbers only the messages after it (RFC 3501 §7.4.1), so the numbers still
    // to be sent stay right. Both lists are in UID order, so one walk down both finds what is gone.
    private List<(int, long)> Vanished(IReadOnlyList<long> uids, bool allowExpunge)
    {
        var expunged = new List<(int, long)>();
        var next = uids.Count - 1;
        for (var i = _messages.Count - 1; i >= 0; i--)
        {
            var message = _messages[i];
            while (next >= 0 && uids[next] > message.Uid)
            {
                next--;
            }

            if (message.Gone || next < 0 || uids[next] != message.Uid)
            {
                if (allowExpunge)
                {
                    expunged.Add((i + 1, message.Uid));
                    _messages.RemoveAt(i);
                    _gone -= message.Gone ? 1 : 0;
                }
                else if (!message.Gone)
                {
                    message.Gone = true;
                    _gone++;
                }
            }
        }

        return expunged;
    }

    private int IndexOf(long uid)
    {
        var index = FirstAtLeast(uid);
        return index < _messages.Count && _messages[index].Uid == uid ? index : -1;
    }

    // The index of the first message whose UID is at least uid (the count when there is none).
    private int FirstAtLeast(long uid)
    {
        int low = 0, high = _messages.Count;
        while (low < high)
        {
            var middle = (low + high) >>> 1;
            if (_messages[middle].Uid < uid)
            {
                low = middle + 1;
            }
            else
            {
                high = middle;
            }
        }

        return low;
    }
}
