using Mailstead.Core.Mail;

namespace Mailstead.Storage.Tests;

/// <summary>The folder snapshots IMAP sessions share, against the real store.</summary>
public abstract partial class MessageStoreTests
{
    private static async Task<long> ModSeqAsync(Platform p, long folderId) => (await p.Metadata.GetFolderAsync(folderId, None))!.HighestModSeq;

    private static async Task<IEnumerable<(long Uid, SystemFlags Flags)>> RowsAsync(Platform p, long folderId) =>
        (await p.Metadata.ListEntriesAsync(folderId, 1, long.MaxValue, None)).Select(e => (e.Uid, e.SystemFlags));

    [Fact]
    public async Task A_folder_snapshot_catches_up_with_deliveries_flag_changes_and_expunges_once_asked_for_their_modseq()
    {
        await using var store = await CreateStoreAsync();
        var p = await PlatformAsync(store);
        var first = await DeliverAsync(p, "first");
        var second = await DeliverAsync(p, "second");
        var inbox = await FolderAsync(p, "INBOX");
        var snapshots = new FolderSnapshots(p.Metadata, p.Messages.Events, budgetEntries: 1000);

        var before = await snapshots.GetAsync(inbox.Id, await ModSeqAsync(p, inbox.Id), None);
        Assert.Equal([first.Uid, second.Uid], before.Entries.Select(e => e.Uid));

        var third = await DeliverAsync(p, "third");
        await p.Messages.SetFlagsAsync(inbox.Id, [second.Uid], FlagChange.Add, MessageFlags.Of(SystemFlags.Flagged), None);
        await p.Messages.SetFlagsAsync(inbox.Id, [first.Uid], FlagChange.Add, MessageFlags.Of(SystemFlags.Deleted), None);
        await p.Messages.ExpungeAsync(inbox.Id, null, None);

        // Asked for no more than it has, it answers from memory, as it was.
        Assert.Same(before, await snapshots.GetAsync(inbox.Id, before.ModSeq, None));

        var now = await ModSeqAsync(p, inbox.Id);
        var after = await snapshots.GetAsync(inbox.Id, now, None);
        Assert.Equal(now, after.ModSeq);
        Assert.Equal(await RowsAsync(p, inbox.Id), after.Entries.Select(e => (e.Uid, e.SystemFlags)));
        Assert.Equal([second.Uid, third.Uid], after.Entries.Select(e => e.Uid));
        Assert.Equal(SystemFlags.Flagged, after.Find(second.Uid)!.SystemFlags);
        Assert.Null(after.Find(first.Uid));
        Assert.Same(after, await snapshots.GetAsync(inbox.Id, now, None));

        // Nothing expunged (the folder's count says so): the changes are laid over what it had.
        var fourth = await DeliverAsync(p, "fourth");
        await p.Messages.SetFlagsAsync(inbox.Id, [third.Uid], FlagChange.Add, MessageFlags.Of(SystemFlags.Seen), None);
        var later = await snapshots.GetAsync(inbox.Id, await ModSeqAsync(p, inbox.Id), None);
        Assert.Equal(await RowsAsync(p, inbox.Id), later.Entries.Select(e => (e.Uid, e.SystemFlags)));
        Assert.Equal([second.Uid, third.Uid, fourth.Uid], later.Entries.Select(e => e.Uid));

        // A message moved out is a message gone, with no change left behind to say so.
        await p.Messages.CopyAsync(inbox.Id, [second.Uid], (await FolderAsync(p, "Archive")).Id, move: true, None);
        var moved = await snapshots.GetAsync(inbox.Id, await ModSeqAsync(p, inbox.Id), None);
        Assert.Equal([third.Uid, fourth.Uid], moved.Entries.Select(e => e.Uid));
    }

    [Fact]
    public async Task Sessions_asking_for_the_current_entries_share_one_read_per_signalled_change_and_see_unsignalled_ones_once_too_old()
    {
        await using var store = await CreateStoreAsync();
        var p = await PlatformAsync(store);
        var first = await DeliverAsync(p, "first");
        var inbox = await FolderAsync(p, "INBOX");
        var snapshots = new FolderSnapshots(p.Metadata, p.Messages.Events, budgetEntries: 1000);
        var hour = TimeSpan.FromHours(1);

        var before = await snapshots.GetCurrentAsync(inbox.Id, 0, hour, None);
        Assert.Same(before, await snapshots.GetCurrentAsync(inbox.Id, 0, hour, None));
        Assert.Equal(inbox.Id, before.Folder!.Id);

        // A delivery through the store signals the folder: the next caller reads it, the ones after share that read.
        var second = await DeliverAsync(p, "second");
        var after = await snapshots.GetCurrentAsync(inbox.Id, 0, hour, None);
        Assert.Equal([first.Uid, second.Uid], after.Entries.Select(e => e.Uid));
        Assert.Same(after, await snapshots.GetCurrentAsync(inbox.Id, 0, hour, None));

        // A change no signal reports (another process's) is read once the snapshot is older than the caller allows.
        await p.Metadata.SetFlagsAsync(inbox.Id, [second.Uid], FlagChange.Add, MessageFlags.Of(SystemFlags.Flagged), None);
        Assert.Same(after, await snapshots.GetCurrentAsync(inbox.Id, 0, hour, None));
        Assert.Equal(SystemFlags.Flagged, (await snapshots.GetCurrentAsync(inbox.Id, 0, TimeSpan.Zero, None)).Find(second.Uid)!.SystemFlags);
    }

    [Fact]
    public async Task A_folder_snapshot_of_a_deleted_folder_is_empty_and_a_full_cache_starts_again_without_losing_an_answer()
    {
        await using var store = await CreateStoreAsync();
        var p = await PlatformAsync(store);
        await DeliverAsync(p, "one", "Archive");
        await DeliverAsync(p, "two", "Archive");
        await DeliverAsync(p, "three");
        var archive = await FolderAsync(p, "Archive");
        var inbox = await FolderAsync(p, "INBOX");
        var snapshots = new FolderSnapshots(p.Metadata, p.Messages.Events, budgetEntries: 2);

        Assert.Equal(2, (await snapshots.GetAsync(archive.Id, archive.HighestModSeq, None)).Entries.Count);
        // Over the budget: the cache is emptied, and the folder asked for is still answered whole.
        var inboxSnapshot = await snapshots.GetAsync(inbox.Id, inbox.HighestModSeq, None);
        Assert.Single(inboxSnapshot.Entries);
        Assert.Same(inboxSnapshot, await snapshots.GetAsync(inbox.Id, inbox.HighestModSeq, None));
        Assert.Equal(2, (await snapshots.GetAsync(archive.Id, archive.HighestModSeq, None)).Entries.Count);

        await p.Metadata.DeleteFolderAsync(p.Alice.Id, "Archive", None);
        Assert.Empty((await snapshots.GetAsync(archive.Id, archive.HighestModSeq + 1, None)).Entries);
    }
}
