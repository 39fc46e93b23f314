using System.Net;
using System.Text;
using Mailstead.Core.Accounts;
using Mailstead.Core.Audit;
using Mailstead.Core.Credentials;
using Mailstead.Core.Mail;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Mailstead.Storage.Tests;

/// <summary>Folders, messages, bodies, quota, the Maildir import and the password-change notice, once per provider.</summary>
public abstract partial class MessageStoreTests
{
    private const string AlicePassword = "violet kettle on the moor";
    private static readonly CancellationToken None = CancellationToken.None;
    private static readonly Actor Cli = new Actor.System("cli");

    protected abstract Task<TestStore> CreateStoreAsync();

    private sealed record Platform(TestStore Store, MessageStore Messages, IMessageStore Metadata, BodyFileStore Bodies, Mailbox Alice);

    private static async Task<Platform> PlatformAsync(TestStore store)
    {
        var accounts = store.Services.GetRequiredService<AccountService>();
        Assert.True((await accounts.AddDomainAsync(Cli, "example.test", Surface.Cli, None)).Succeeded);
        Assert.True((await accounts.AddMailboxAsync(Cli, new NewMailbox("alice@example.test", "Alice Liddell", AlicePassword), Surface.Cli, None)).Succeeded);
        var alice = (await store.Store.FindMailboxAsync("alice@example.test", None))!;
        var messages = store.Services.GetRequiredService<MessageStore>();
        return new Platform(store, messages, messages.Metadata, (BodyFileStore)messages.Bodies, alice);
    }

    private static byte[] Message(string subject, string body = "Hello.") => Encoding.UTF8.GetBytes(
        $"From: Bob <bob@example.org>\r\nTo: alice@example.test\r\nSubject: {subject}\r\nMessage-ID: <{subject}@example.org>\r\n" +
        $"Date: Tue, 1 Jul 2003 10:52:37 +0200 (CEST)\r\n\r\n{body}\r\n");

    private static async Task<MailFolder> FolderAsync(Platform p, string name) => (await p.Metadata.FindFolderAsync(p.Alice.Id, name, None))!;

    private static async Task<Appended> DeliverAsync(Platform p, string subject, string? folder = null)
    {
        var delivered = await p.Messages.DeliverAsync(p.Alice, new NewMessage(Message(subject)) { Folder = folder }, createFolder: false, None);
        Assert.True(delivered.Succeeded, delivered.Problem?.Message);
        return delivered.Value;
    }

    [Fact]
    public async Task The_default_folders_with_their_special_use_are_there_on_first_access_and_only_once()
    {
        await using var store = await CreateStoreAsync();
        var p = await PlatformAsync(store);

        var first = await p.Messages.FoldersAsync("alice@example.test", None);
        var again = await p.Messages.FoldersAsync("alice@example.test", None);

        Assert.True(first.Succeeded);
        Assert.Equal(
            ["Archive", "Drafts", "INBOX", "Junk", "Sent", "Trash"],
            again.Value!.Select(f => f.Name));
        Assert.Equal(SpecialUse.Inbox, again.Value!.Single(f => f.Name == "INBOX").SpecialUse);
        Assert.Equal(SpecialUse.Junk, again.Value!.Single(f => f.Name == "Junk").SpecialUse);
        Assert.All(again.Value!, f => Assert.True(f.UidValidity > 0 && f.UidNext == 1 && f.Subscribed));
        Assert.Equal(ProblemKind.NotFound, (await p.Messages.FoldersAsync("nobody@example.test", None)).Problem?.Kind);
    }

    [Fact]
    public async Task Reading_a_folders_changes_neither_waits_for_an_open_write_transaction_nor_sees_what_it_has_not_committed()
    {
        await using var store = await CreateStoreAsync();
        var p = await PlatformAsync(store);
        var delivered = await DeliverAsync(p, "before the writer");
        var inbox = await FolderAsync(p, "INBOX");

        await using var writer = await store.Contexts.CreateDbContextAsync(None);
        await using var writing = await writer.Database.BeginTransactionAsync(None);
        var tracked = await writer.MailFolders.SingleAsync(f => f.Id == inbox.Id, None);
        tracked.HighestModSeq += 100;
        await writer.SaveChangesAsync(None);

        // SQLite's busy timeout is 10 s: a reader that needed the write lock would still be waiting.
        var changes = (await p.Metadata.ReadChangesSinceAsync(inbox.Id, 0, None).WaitAsync(TimeSpan.FromSeconds(8)))!;

        Assert.Equal(inbox.HighestModSeq, changes.Folder.HighestModSeq);
        Assert.Equal([delivered.Uid], changes.Changed.Select(m => m.Uid));
    }

    [Fact]
    public async Task Concurrent_appends_get_distinct_increasing_uids_and_the_summary_of_their_header()
    {
        await using var store = await CreateStoreAsync();
        var p = await PlatformAsync(store);
        await p.Metadata.EnsureDefaultFoldersAsync(p.Alice.Id, None);

        var appended = await Task.WhenAll(Enumerable.Range(1, 24).Select(i => Task.Run(() => DeliverAsync(p, $"m{i}"))));

        Assert.Equal(Enumerable.Range(1, 24).Select(i => (long)i), appended.Select(a => a.Uid).Order());
        var inbox = await FolderAsync(p, "INBOX");
        Assert.Equal(25, inbox.UidNext);
        var listed = await p.Metadata.ListByUidAsync(inbox.Id, 1, long.MaxValue, None);
        Assert.Equal(24, listed.Count);
        // Appends committed together (SQLite's group commit) share a modseq; a later UID never has an older one.
        Assert.All(listed.Zip(listed.Skip(1)), pair => Assert.True(pair.Second.ModSeq >= pair.First.ModSeq));
        Assert.Equal(inbox.HighestModSeq, listed[^1].ModSeq);
        var one = listed.Single(m => m.Subject == "m7");
        Assert.Equal("<m7@example.org>", one.MessageId);
        Assert.Equal("Bob <bob@example.org>", one.From);
        Assert.Equal(new DateTime(2003, 7, 1, 8, 52, 37, DateTimeKind.Utc), one.Date);
        Assert.Equal(Message("m7").Length, one.Size);
        Assert.Equal(listed.Select(m => m.Entry), await p.Metadata.ListEntriesAsync(inbox.Id, 1, long.MaxValue, None));
        Assert.Equal([listed[4].Entry, listed[5].Entry], await p.Metadata.ListEntriesAsync(inbox.Id, listed[4].Uid, listed[5].Uid, None));
    }

    [Fact]
    public async Task An_imap_session_s_queries_see_uids_counts_changes_since_a_modseq_and_the_folder_as_it_is_now()
    {
        await using var store = await CreateStoreAsync();
        var p = await PlatformAsync(store);
        var first = await DeliverAsync(p, "first");
        var second = await DeliverAsync(p, "second");
        var third = await DeliverAsync(p, "third");
        var inbox = await FolderAsync(p, "INBOX");
        var before = inbox.HighestModSeq;

        await p.Messages.SetFlagsAsync(inbox.Id, [second.Uid], FlagChange.Add, MessageFlags.Of(SystemFlags.Seen), None);
        await p.Messages.SetFlagsAsync(inbox.Id, [first.Uid], FlagChange.Add, MessageFlags.Of(SystemFlags.Deleted), None);
        await p.Messages.ExpungeAsync(inbox.Id, null, None);

        Assert.Equal([second.Uid, third.Uid], await p.Metadata.ListUidsAsync(inbox.Id, None));
        var secondNow = (await p.Metadata.ListByUidAsync(inbox.Id, second.Uid, second.Uid, None)).Single();
        Assert.Equal(
            [(second.Uid, secondNow.ModSeq, SystemFlags.Seen), (third.Uid, third.ModSeq, SystemFlags.None)],
            (await p.Metadata.ListEntriesAsync(inbox.Id, 1, long.MaxValue, None)).Select(e => (e.Uid, e.ModSeq, e.SystemFlags)));
        Assert.Equal(new FolderCounts(2, 1, 0), await p.Metadata.CountAsync(inbox.Id, None));
        await p.Messages.SetFlagsAsync(inbox.Id, [second.Uid], FlagChange.Add, MessageFlags.Of(SystemFlags.Deleted), None);
        Assert.Equal(new FolderCounts(2, 1, 1), await p.Metadata.CountAsync(inbox.Id, None));
        Assert.Equal(new FolderCounts(0, 0, 0), await p.Metadata.CountAsync((await FolderAsync(p, "Junk")).Id, None));
        var changes = (await p.Metadata.ReadChangesSinceAsync(inbox.Id, before, None))!;
        Assert.Equal([second.Uid], changes.Changed.Select(m => m.Uid));
        Assert.Equal(2, changes.Folder.MessageCount);
        Assert.Empty((await p.Metadata.ReadChangesSinceAsync(inbox.Id, changes.Folder.HighestModSeq, None))!.Changed);

        Assert.True(await p.Metadata.TryRenameFolderAsync(p.Alice.Id, "Archive", "Old", None));
        var archive = (await p.Messages.FoldersAsync(p.Alice.Address, None)).Value!.Single(f => f.Name == "Old");
        Assert.Equal("Old", (await p.Metadata.GetFolderAsync(archive.Id, None))!.Name);
        Assert.True(await p.Metadata.SetSubscribedAsync(p.Alice.Id, "Old", false, None));
        Assert.False((await p.Metadata.GetFolderAsync(archive.Id, None))!.Subscribed);
        Assert.False(await p.Metadata.SetSubscribedAsync(p.Alice.Id, "Nowhere", true, None));
        await p.Metadata.DeleteFolderAsync(p.Alice.Id, "Old", None);
        Assert.Null(await p.Metadata.GetFolderAsync(archive.Id, None));
        Assert.Null(await p.Metadata.ReadChangesSinceAsync(archive.Id, 0, None));
    }

    [Fact]
    public async Task Messages_are_recent_from_where_the_last_claim_ended_and_a_claim_never_moves_that_back()
    {
        await using var store = await CreateStoreAsync();
        var p = await PlatformAsync(store);
        await DeliverAsync(p, "first");
        var second = await DeliverAsync(p, "second");
        await DeliverAsync(p, "third");
        var inbox = await FolderAsync(p, "INBOX");
        Assert.Equal(1, inbox.FirstRecentUid);
        Assert.Equal(3, await p.Metadata.CountFromUidAsync(inbox.Id, inbox.FirstRecentUid, None));

        await p.Metadata.ClaimRecentAsync(inbox.Id, second.Uid + 1, None);
        await p.Metadata.ClaimRecentAsync(inbox.Id, second.Uid, None);

        inbox = await FolderAsync(p, "INBOX");
        Assert.Equal(second.Uid + 1, inbox.FirstRecentUid);
        Assert.Equal(1, await p.Metadata.CountFromUidAsync(inbox.Id, inbox.FirstRecentUid, None));
    }

    [Fact]
    public async Task The_mailbox_usage_and_folder_counts_follow_every_append_copy_move_expunge_and_folder_delete()
    {
        await using var store = await CreateStoreAsync();
        var p = await PlatformAsync(store);
        var first = await DeliverAsync(p, "first");
        var second = await DeliverAsync(p, "second");
        await DeliverAsync(p, "third");
        var inbox = await FolderAsync(p, "INBOX");
        var archive = await FolderAsync(p, "Archive");
        var trash = await FolderAsync(p, "Trash");

        await p.Messages.CopyAsync(inbox.Id, [first.Uid], archive.Id, move: false, None);
        await p.Messages.CopyAsync(inbox.Id, [second.Uid], trash.Id, move: true, None);
        await p.Messages.SetFlagsAsync(inbox.Id, [first.Uid], FlagChange.Add, MessageFlags.Of(SystemFlags.Deleted), None);
        await p.Messages.ExpungeAsync(inbox.Id, null, None);
        Assert.Equal(await SumOfSizesAsync(p), await p.Metadata.UsageAsync(p.Alice.Id, None));
        foreach (var folder in await p.Metadata.ListFoldersAsync(p.Alice.Id, None))
        {
            Assert.Equal((await p.Metadata.ListUidsAsync(folder.Id, None)).Count, folder.MessageCount);
        }

        Assert.Equal([1, 1, 1], (await p.Metadata.ListFoldersAsync(p.Alice.Id, None)).Where(f => f.MessageCount > 0).Select(f => f.MessageCount));

        await p.Metadata.DeleteFolderAsync(p.Alice.Id, "Trash", None);
        Assert.Equal(await SumOfSizesAsync(p), await p.Metadata.UsageAsync(p.Alice.Id, None));
        Assert.Equal(Message("first").Length + Message("third").Length, await p.Metadata.UsageAsync(p.Alice.Id, None));
    }

    private static async Task<long> SumOfSizesAsync(Platform p)
    {
        long total = 0;
        foreach (var folder in await p.Metadata.ListFoldersAsync(p.Alice.Id, None))
        {
            total += (await p.Metadata.ListByUidAsync(folder.Id, 1, long.MaxValue, None)).Sum(m => m.Size);
        }

        return total;
    }

    [Fact]
    public async Task The_body_file_is_complete_when_append_returns_and_orphans_are_never_listed()
    {
        await using var store = await CreateStoreAsync();
        var p = await PlatformAsync(store);
        var inbox = (await p.Messages.FoldersAsync("alice@example.test", None)).Value!.Single(f => f.Name == "INBOX");

        // What a crash leaves behind: a temporary file that was never renamed, and a body whose row never committed.
        Directory.CreateDirectory(Path.Combine(p.Bodies.Root, "ab"));
        await File.WriteAllBytesAsync(Path.Combine(p.Bodies.Root, "ab", ".tmp-ab0000"), Message("half"));
        await p.Bodies.WriteAsync(Message("orphan"), None);

        var appended = await DeliverAsync(p, "whole");

        var row = (await p.Metadata.ListByUidAsync(inbox.Id, appended.Uid, appended.Uid, None)).Single();
        Assert.Equal(Message("whole"), await File.ReadAllBytesAsync(p.Bodies.PathOf(row.BodyKey)));
        Assert.Equal(Message("whole"), await p.Bodies.ReadAsync(row.BodyKey, None));
        Assert.Single(await p.Metadata.ListByUidAsync(inbox.Id, 1, long.MaxValue, None));
        Assert.Equal([".tmp-ab0000"], Directory.EnumerateFiles(p.Bodies.Root, ".tmp-*", SearchOption.AllDirectories).Select(Path.GetFileName));
        Assert.Throws<ArgumentException>(() => p.Bodies.PathOf("../../etc/passwd"));
    }

    [Fact]
    public async Task The_sweep_deletes_old_orphan_bodies_and_temporary_files_and_keeps_bodies_of_messages_and_recent_writes()
    {
        await using var store = await CreateStoreAsync();
        var p = await PlatformAsync(store);
        var kept = await DeliverAsync(p, "kept");
        var orphan = await p.Bodies.WriteAsync(Message("orphan"), None);
        var recent = await p.Bodies.WriteAsync(Message("recent"), None);
        Directory.CreateDirectory(Path.Combine(p.Bodies.Root, "ab"));
        var temp = Path.Combine(p.Bodies.Root, "ab", ".tmp-ab0000");
        await File.WriteAllBytesAsync(temp, Message("half"));
        var old = DateTime.UtcNow.AddHours(-2);
        var keptKey = (await p.Metadata.ListByUidAsync(kept.FolderId, kept.Uid, kept.Uid, None)).Single().BodyKey;
        foreach (var path in new[] { p.Bodies.PathOf(orphan), p.Bodies.PathOf(keptKey), temp })
        {
            File.SetLastWriteTimeUtc(path, old);
        }

        var swept = await p.Messages.SweepOrphansAsync(TimeSpan.FromHours(1), None);

        Assert.Equal(1, swept);
        Assert.False(File.Exists(p.Bodies.PathOf(orphan)));
        Assert.False(File.Exists(temp));
        Assert.True(File.Exists(p.Bodies.PathOf(keptKey)));
        Assert.True(File.Exists(p.Bodies.PathOf(recent)));
    }

    [Fact]
    public async Task Outbound_mail_is_listed_as_queued_and_the_sweep_keeps_its_body()
    {
        await using var store = await CreateStoreAsync();
        var p = await PlatformAsync(store);
        var outbox = store.Services.GetRequiredService<Outbox>();

        var queued = await outbox.EnqueueAsync(new OutboundSubmission(p.Alice.Id, "alice@example.test", ["friend@elsewhere.test", "other@elsewhere.test"], Message("away")) { EightBitMime = true }, None);
        File.SetLastWriteTimeUtc(p.Bodies.PathOf(queued.BodyKey), DateTime.UtcNow.AddHours(-2));
        var swept = await p.Messages.SweepOrphansAsync(TimeSpan.FromHours(1), None);

        Assert.Equal(0, swept);
        Assert.Equal(Message("away"), await p.Bodies.ReadAsync(queued.BodyKey, None));
        var listed = Assert.Single(await outbox.ListAsync(OutboundState.Queued, None));
        Assert.Equal((queued.Id, p.Alice.Id, "alice@example.test", OutboundState.Queued, true), (listed.Id, listed.SenderMailboxId, listed.EnvelopeFrom, listed.State, listed.EightBitMime));
        Assert.Equal(["friend@elsewhere.test", "other@elsewhere.test"], listed.Recipients);
        Assert.Empty(await outbox.ListAsync(OutboundState.Delivered, None));
    }

    [Fact]
    public async Task Flags_change_by_replace_add_and_remove_and_each_change_takes_a_new_modseq()
    {
        await using var store = await CreateStoreAsync();
        var p = await PlatformAsync(store);
        var a = await DeliverAsync(p, "a");
        var b = await DeliverAsync(p, "b");

        var added = await p.Metadata.SetFlagsAsync(a.FolderId, [a.Uid, b.Uid], FlagChange.Add, MessageFlags.Of(SystemFlags.Seen, "$Forwarded"), None);
        var again = await p.Metadata.SetFlagsAsync(a.FolderId, [a.Uid], FlagChange.Add, MessageFlags.Of(SystemFlags.Seen), None);
        var removed = await p.Metadata.SetFlagsAsync(a.FolderId, [b.Uid], FlagChange.Remove, MessageFlags.Of(SystemFlags.None, "$forwarded"), None);
        var replaced = await p.Metadata.SetFlagsAsync(a.FolderId, [a.Uid], FlagChange.Replace, MessageFlags.Of(SystemFlags.Flagged | SystemFlags.Answered), None);

        Assert.Equal(2, added.Count);
        Assert.True(added[0].ModSeq > b.ModSeq);
        Assert.Empty(again);
        Assert.True(removed.Single().ModSeq > added[1].ModSeq);
        Assert.True(replaced.Single().ModSeq > removed.Single().ModSeq);
        var rows = await p.Metadata.ListByUidAsync(a.FolderId, 1, long.MaxValue, None);
        Assert.Equal(MessageFlags.Of(SystemFlags.Flagged | SystemFlags.Answered), rows[0].Flags);
        Assert.Equal(MessageFlags.Of(SystemFlags.Seen), rows[1].Flags);
        Assert.Equal(replaced.Single().ModSeq, (await FolderAsync(p, "INBOX")).HighestModSeq);
    }

    [Fact]
    public async Task A_conditional_flag_change_skips_messages_changed_since_the_given_modseq_and_names_them()
    {
        await using var store = await CreateStoreAsync();
        var p = await PlatformAsync(store);
        var a = await DeliverAsync(p, "a");
        var b = await DeliverAsync(p, "b");
        var known = b.ModSeq;
        var meanwhile = await p.Metadata.SetFlagsAsync(a.FolderId, [a.Uid], FlagChange.Add, MessageFlags.Of(SystemFlags.Answered), None);

        var result = await p.Metadata.SetFlagsUnlessChangedAsync(a.FolderId, [a.Uid, b.Uid], FlagChange.Add, MessageFlags.Of(SystemFlags.Seen), known, None);
        var never = await p.Metadata.SetFlagsUnlessChangedAsync(a.FolderId, [b.Uid], FlagChange.Add, MessageFlags.Of(SystemFlags.Flagged), 0, None);

        Assert.Equal([a.Uid], result.Modified);
        Assert.Equal([b.Uid], result.Changed.Select(m => m.Uid));
        Assert.True(result.Changed.Single().ModSeq > meanwhile.Single().ModSeq);
        Assert.Equal([b.Uid], never.Modified);
        Assert.Empty(never.Changed);
        var rows = await p.Metadata.ListByUidAsync(a.FolderId, 1, long.MaxValue, None);
        Assert.Equal(MessageFlags.Of(SystemFlags.Answered), rows[0].Flags);
        Assert.Equal(MessageFlags.Of(SystemFlags.Seen), rows[1].Flags);
    }

    [Fact]
    public async Task A_flag_change_that_would_pass_the_keyword_limit_leaves_that_message_as_it_is_and_names_it()
    {
        await using var store = await CreateStoreAsync();
        var p = await PlatformAsync(store);
        var a = await DeliverAsync(p, "a");
        var b = await DeliverAsync(p, "b");
        var half = MessageFlags.Of(SystemFlags.None, [.. Enumerable.Range(0, 150).Select(i => $"$Label{i:0000}")]);
        await p.Metadata.SetFlagsAsync(a.FolderId, [a.Uid], FlagChange.Add, half, None);

        var more = MessageFlags.Of(SystemFlags.Seen, [.. Enumerable.Range(0, 150).Select(i => $"$Other{i:0000}")]);
        var result = await p.Metadata.SetFlagsUnlessChangedAsync(a.FolderId, [a.Uid, b.Uid], FlagChange.Add, more, long.MaxValue, None);

        Assert.Equal([a.Uid], result.TooManyKeywords);
        Assert.Equal([b.Uid], result.Changed.Select(m => m.Uid));
        var rows = await p.Metadata.ListByUidAsync(a.FolderId, 1, long.MaxValue, None);
        Assert.Equal(half, rows[0].Flags);
        Assert.Equal(150, rows[1].Flags.Keywords.Count);
    }

    [Fact]
    public async Task Expunge_removes_only_deleted_messages_and_their_bodies_and_uids_are_not_reused()
    {
        await using var store = await CreateStoreAsync();
        var p = await PlatformAsync(store);
        var a = await DeliverAsync(p, "a");
        var b = await DeliverAsync(p, "b");
        await p.Metadata.SetFlagsAsync(a.FolderId, [a.Uid], FlagChange.Add, MessageFlags.Of(SystemFlags.Deleted), None);
        var key = (await p.Metadata.ListByUidAsync(a.FolderId, a.Uid, a.Uid, None)).Single().BodyKey;

        var expunged = await p.Messages.ExpungeAsync(a.FolderId, uids: null, None);
        var c = await DeliverAsync(p, "c");

        Assert.Equal([a.Uid], expunged);
        Assert.False(File.Exists(p.Bodies.PathOf(key)));
        Assert.Equal([b.Uid, c.Uid], (await p.Metadata.ListByUidAsync(a.FolderId, 1, long.MaxValue, None)).Select(m => m.Uid));
        Assert.Equal(3, c.Uid);
    }

    [Fact]
    public async Task Move_gives_new_uids_in_the_target_and_copy_shares_the_body()
    {
        await using var store = await CreateStoreAsync();
        var p = await PlatformAsync(store);
        var a = await DeliverAsync(p, "a");
        var b = await DeliverAsync(p, "b");
        var archive = await FolderAsync(p, "Archive");
        var trash = await FolderAsync(p, "Trash");

        var moved = await p.Metadata.CopyAsync(a.FolderId, [a.Uid, b.Uid], archive.Id, move: true, None);
        var copied = await p.Metadata.CopyAsync(archive.Id, [1], trash.Id, move: false, None);

        Assert.Equal([(a.Uid, 1L), (b.Uid, 2L)], moved);
        Assert.Empty(await p.Metadata.ListByUidAsync(a.FolderId, 1, long.MaxValue, None));
        var inArchive = await p.Metadata.ListByUidAsync(archive.Id, 1, long.MaxValue, None);
        Assert.Equal(["a", "b"], inArchive.Select(m => m.Subject));
        Assert.Equal(inArchive[0].BodyKey, (await p.Metadata.ListByUidAsync(trash.Id, 1, 1, None)).Single().BodyKey);
        Assert.Single(copied);
        Assert.Equal(3 * Message("a").Length, await p.Metadata.UsageAsync(p.Alice.Id, None));
    }

    [Fact]
    public async Task Folders_are_created_renamed_with_their_children_and_deleted()
    {
        await using var store = await CreateStoreAsync();
        var p = await PlatformAsync(store);
        var lists = await p.Metadata.TryCreateFolderAsync(p.Alice.Id, "Lists", SpecialUse.None, None);
        await p.Metadata.TryCreateFolderAsync(p.Alice.Id, "Lists/dev", SpecialUse.None, None);
        await DeliverAsync(p, "x", "Lists/dev");

        Assert.NotNull(lists);
        Assert.Null(await p.Metadata.TryCreateFolderAsync(p.Alice.Id, "Lists", SpecialUse.None, None));
        Assert.True(await p.Metadata.TryRenameFolderAsync(p.Alice.Id, "Lists", "Groups", None));
        Assert.False(await p.Metadata.TryRenameFolderAsync(p.Alice.Id, "INBOX", "Old", None));
        Assert.NotNull(await FolderAsync(p, "Groups/dev"));
        var unreferenced = await p.Metadata.DeleteFolderAsync(p.Alice.Id, "Groups/dev", None);
        Assert.Single(unreferenced!);
        Assert.Null(await p.Metadata.DeleteFolderAsync(p.Alice.Id, "Groups/dev", None));
        var recreated = await p.Metadata.TryCreateFolderAsync(p.Alice.Id, "Groups/dev", SpecialUse.None, None);
        Assert.True(recreated!.UidValidity > lists.UidValidity);
    }

    [Fact]
    public async Task Delivery_beyond_the_quota_is_refused_with_the_numbers_and_nothing_is_stored_except_the_password_notice()
    {
        await using var store = await CreateStoreAsync();
        var p = await PlatformAsync(store);
        p.Alice.QuotaBytes = Message("a").Length + 10;
        await store.Store.UpdateMailboxAsync(p.Alice, new AuditEvent { Actor = "cli", At = DateTime.UtcNow, Action = AuditAction.MailboxUpdated, Target = p.Alice.Address }, None);
        var alice = (await store.Store.FindMailboxAsync(p.Alice.Address, None))!;
        await p.Messages.DeliverAsync(alice, new NewMessage(Message("a")), createFolder: false, None);
        var files = Directory.EnumerateFiles(p.Bodies.Root, "*", SearchOption.AllDirectories).Count();

        var refused = await p.Messages.DeliverAsync(alice, new NewMessage(Message("b")), createFolder: false, None);

        Assert.Equal(ProblemKind.Denied, refused.Problem?.Kind);
        Assert.Contains("is full", refused.Problem!.Message, StringComparison.Ordinal);
        Assert.Equal(files, Directory.EnumerateFiles(p.Bodies.Root, "*", SearchOption.AllDirectories).Count());
        Assert.Equal(1024L * 1024 * 1024, p.Messages.QuotaOf(new Mailbox { Address = "x@example.test", Credential = alice.Credential }));

        // The password-change notice is the exception: a full mailbox still hears that its password changed.
        var credentials = store.Services.GetRequiredService<CredentialService>();
        Assert.True((await credentials.ResetPasswordAsync(new PasswordResetRequest(Cli, alice.Address, "seven lanterns above the bay", MustChange: false, Surface.Cli, Client: null), None)).Succeeded);
        var inbox = await FolderAsync(p, "INBOX");
        Assert.Equal(["a", "Your mailbox password was reset"], (await p.Metadata.ListByUidAsync(inbox.Id, 1, long.MaxValue, None)).Select(m => m.Subject));
    }

    [Fact]
    public async Task A_maildir_is_imported_with_flags_dates_and_subfolders_and_a_second_run_imports_nothing_twice()
    {
        await using var store = await CreateStoreAsync();
        var p = await PlatformAsync(store);
        var maildir = Directory.CreateTempSubdirectory("mailstead-maildir-").FullName;
        try
        {
            var date = new DateTime(2020, 5, 17, 9, 30, 0, DateTimeKind.Utc);
            void Put(string folder, string sub, string name, string subject)
            {
                var directory = Path.Combine(maildir, folder, sub);
                Directory.CreateDirectory(directory);
                var path = Path.Combine(directory, name);
                File.WriteAllText(path, $"From: bob@example.org\nSubject: {subject}\n\nLF only.\n");
                File.SetLastWriteTimeUtc(path, date);
            }

            Put("", "cur", "1590000000.M1P1.host,S=50:2,SR", "seen-answered");
            Put("", "cur", "1590000001.M2P1.host:2,FT", "flagged-trashed");
            Put("", "new", "1590000002.M3P1.host", "new");
            Put("", "tmp", "1590000003.M4P1.host", "unfinished");
            Put(".Lists.dev", "cur", "1590000004.M5P1.host:2,S", "in-subfolder");
            Put(".Sent", "cur", "1590000005.M6P1.host:2,S", "sent");
            await File.WriteAllTextAsync(Path.Combine(maildir, "dovecot-uidlist"), "3 V1 N4\n");
            await File.WriteAllTextAsync(Path.Combine(maildir, "subscriptions"), "Lists.dev\n");
            var importer = store.Services.GetRequiredService<MaildirImporter>();

            var first = await importer.ImportAsync("alice@example.test", maildir, None);
            var second = await importer.ImportAsync("alice@example.test", maildir, None);

            Assert.Equal((5, 0, 0), (first.Value!.Imported, first.Value.Skipped, first.Value.Failed));
            Assert.Equal((0, 5, 0), (second.Value!.Imported, second.Value.Skipped, second.Value.Failed));
            var inbox = await p.Metadata.ListByUidAsync((await FolderAsync(p, "INBOX")).Id, 1, long.MaxValue, None);
            Assert.Equal(["seen-answered", "flagged-trashed", "new"], inbox.Select(m => m.Subject));
            Assert.Equal(SystemFlags.Seen | SystemFlags.Answered, inbox[0].SystemFlags);
            Assert.Equal(SystemFlags.Flagged | SystemFlags.Deleted, inbox[1].SystemFlags);
            Assert.Equal(SystemFlags.None, inbox[2].SystemFlags);
            Assert.All(inbox, m => Assert.Equal(date, m.InternalDate));
            var body = Encoding.ASCII.GetString((await p.Bodies.ReadAsync(inbox[0].BodyKey, None))!);
            Assert.Equal("From: bob@example.org\r\nSubject: seen-answered\r\n\r\nLF only.\r\n", body);
            var dev = await FolderAsync(p, "Lists/dev");
            Assert.Equal("in-subfolder", (await p.Metadata.ListByUidAsync(dev.Id, 1, long.MaxValue, None)).Single().Subject);
            Assert.Equal("sent", (await p.Metadata.ListByUidAsync((await FolderAsync(p, "Sent")).Id, 1, long.MaxValue, None)).Single().Subject);

            Assert.Equal(ProblemKind.NotFound, (await importer.ImportAsync("nobody@example.test", maildir, None)).Problem?.Kind);
            Assert.Equal(ProblemKind.Invalid, (await importer.ImportAsync("alice@example.test", Path.Combine(maildir, "missing"), None)).Problem?.Kind);
        }
        finally
        {
            Directory.Delete(maildir, recursive: true);
        }
    }

    [Fact]
    public async Task A_password_reset_delivers_a_notice_into_inbox_with_who_when_where_and_no_password()
    {
        await using var store = await CreateStoreAsync();
        var p = await PlatformAsync(store);
        var credentials = store.Services.GetRequiredService<CredentialService>();
        const string NewPassword = "seven lanterns above the bay";
        var client = IPAddress.Parse("198.51.100.7");

        var reset = await credentials.ResetPasswordAsync(new PasswordResetRequest(Cli, "alice@example.test", NewPassword, MustChange: true, Surface.Cli, Client: null), None);
        var changed = await credentials.ChangeOwnPasswordAsync(
            new PasswordChangeRequest(new CredentialOwner(CredentialOwnerKind.Mailbox, "alice@example.test"), NewPassword, "quiet river under amber skies", "quiet river under amber skies", Surface.Webmail, client),
            None);

        Assert.True(reset.Succeeded);
        Assert.True(changed.Succeeded, changed.Problem?.Message);
        var inbox = await FolderAsync(p, "INBOX");
        var notices = await p.Metadata.ListByUidAsync(inbox.Id, 1, long.MaxValue, None);
        Assert.Equal(["Your mailbox password was reset", "Your mailbox password was changed"], notices.Select(n => n.Subject));
        Assert.Equal("Mailstead <postmaster@example.test>", notices[0].From); // the list's sender: decoded, unquoted
        var first = Encoding.UTF8.GetString((await p.Bodies.ReadAsync(notices[0].BodyKey, None))!);
        var second = Encoding.UTF8.GetString((await p.Bodies.ReadAsync(notices[1].BodyKey, None))!);
        Assert.Contains("the server administrator, on the server's command line", first, StringComparison.Ordinal);
        Assert.Contains("choose a new password at your next sign-in", first, StringComparison.Ordinal);
        Assert.Contains("you, signed in as alice@example.test", second, StringComparison.Ordinal);
        Assert.Contains("the webmail", second, StringComparison.Ordinal);
        Assert.Contains("198.51.100.7", second, StringComparison.Ordinal);
        Assert.Matches(@"When: +\d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC", second);
        Assert.Contains("If this was not you", second, StringComparison.Ordinal);
        foreach (var header in new[] { "Date: ", "To: <alice@example.test>", "Message-ID: <", "MIME-Version: 1.0", "Content-Type: text/plain; charset=utf-8" })
        {
            Assert.Contains("\r\n" + header, "\r\n" + first, StringComparison.Ordinal);
        }

        Assert.DoesNotContain(NewPassword, first + second, StringComparison.Ordinal);
        Assert.DoesNotContain("quiet river under", first + second, StringComparison.Ordinal);
        Assert.DoesNotContain(AlicePassword, first + second, StringComparison.Ordinal);
        Assert.DoesNotContain("\n", first.Replace("\r\n", "", StringComparison.Ordinal), StringComparison.Ordinal);
    }
}

public sealed class SqliteMessageStoreTests : MessageStoreTests
{
    protected override Task<TestStore> CreateStoreAsync() => SqliteAccountStoreTests.CreateSqliteStoreAsync();
}

[Collection(PostgresTests.Name)]
public sealed class PostgresMessageStoreTests(PostgresServer server) : MessageStoreTests
{
    protected override Task<TestStore> CreateStoreAsync() => PostgresAccountStoreTests.CreatePostgresStoreAsync(server);
}
