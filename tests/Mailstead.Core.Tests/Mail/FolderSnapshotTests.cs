using Mailstead.Core.Mail;

namespace Mailstead.Core.Tests.Mail;

/// <summary>A folder snapshot larger than one chunk, changed the ways a mailbox changes between two reads.</summary>
public sealed class FolderSnapshotTests
{
    private static readonly MailFolder Inbox = new() { Id = 1, Name = MailFolder.InboxName };

    private static MessageEntry Entry(long uid, long modSeq, SystemFlags flags = SystemFlags.None) =>
        new(uid, modSeq, flags, "", 100, DateTime.UnixEpoch, null, $"body-{uid}");

    // UIDs 1..count with a gap at every tenth (expunged long ago), all at modseq 1.
    private static List<MessageEntry> Folder(int count) =>
        [.. Enumerable.Range(1, count).Where(u => u % 10 != 0).Select(u => Entry(u, 1))];

    [Fact]
    public void Changes_laid_over_a_large_snapshot_replace_entries_in_any_chunk_and_append_new_ones_across_the_last_chunk()
    {
        var entries = Folder(1500);
        var before = new FolderSnapshot(Inbox, 1, entries, 0, 0);
        var changed = new[] { Entry(3, 2, SystemFlags.Seen), Entry(777, 2, SystemFlags.Flagged) }
            .Concat(Enumerable.Range(1501, 700).Select(u => Entry(u, 2)))
            .ToList();

        var after = before.Overlay(Inbox, 2, changed, 0, 0)!;

        var expected = entries.Select(e => changed.FirstOrDefault(c => c.Uid == e.Uid) ?? e).Concat(changed.Skip(2)).ToList();
        Assert.Equal(expected, after.Entries);
        Assert.Equal(expected.Select(e => e.Uid), after.Uids);
        Assert.Equal(expected.Count, after.Count);
        Assert.Equal(changed, after.ChangedSince(1));
        Assert.Empty(after.ChangedSince(2));
        Assert.Equal(SystemFlags.Flagged, after.Find(777)!.SystemFlags);
        Assert.Equal(2200, after.Find(2200)!.Uid);
        Assert.Null(after.Find(770));
        Assert.Null(after.Find(2201));

        // The snapshot it was made from is as it was: sessions still reading it see no change half made.
        Assert.Equal(entries, before.Entries);
        Assert.Empty(before.ChangedSince(1));
    }

    [Fact]
    public void A_changed_uid_older_than_the_newest_that_the_snapshot_never_had_cannot_be_laid_over_it()
    {
        var before = new FolderSnapshot(Inbox, 1, Folder(600), 0, 0);

        Assert.Null(before.Overlay(Inbox, 2, [Entry(10, 2)], 0, 0));
    }

    [Fact]
    public void An_empty_snapshot_takes_appended_entries()
    {
        var empty = new FolderSnapshot(Inbox, 1, Array.Empty<MessageEntry>(), 0, 0);

        var after = empty.Overlay(Inbox, 2, [Entry(1, 2), Entry(2, 2)], 0, 0)!;

        Assert.Equal([1L, 2L], after.Uids);
        Assert.Empty(empty.Entries);
        Assert.Null(empty.Find(1));
    }
}
