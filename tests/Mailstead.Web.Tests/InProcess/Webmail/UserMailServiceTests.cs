using System.Text;
using Mailstead.Core.Accounts;
using Mailstead.Core.Mail;
using Microsoft.Extensions.DependencyInjection;

namespace Mailstead.Web.Tests.InProcess.Webmail;

/// <summary>The permission checks and rules of the service behind the webmail, with the real store.</summary>
public sealed class UserMailServiceTests : IAsyncLifetime
{
    private static readonly CancellationToken None = CancellationToken.None;

    private WebHost _host = null!;
    private UserMailService _mail = null!;
    private IMessageStore _store = null!;
    private string _alice = null!;
    private string _bob = null!;

    public async Task InitializeAsync()
    {
        _host = await WebHost.StartAsync();
        _mail = _host.Services.GetRequiredService<UserMailService>();
        _store = _host.Services.GetRequiredService<IMessageStore>();
        _alice = await _host.AddMailboxAsync("alice", "Tq8vLr2mZp9wXe");
        _bob = await _host.AddMailboxAsync("bob", "Tq8vLr2mZp9wXe");
    }

    public async Task DisposeAsync() => await _host.DisposeAsync();

    private static byte[] Mail(string subject, string to = "alice@example.test", string body = "Hello.") =>
        Encoding.UTF8.GetBytes($"From: Carol <carol@example.org>\r\nTo: {to}\r\nSubject: {subject}\r\n\r\n{body}\r\n");

    private async Task<MailFolder> FolderAsync(string address, string name) =>
        (await _mail.FoldersAsync(address, None)).Value!.Single(f => f.Folder.Name == name).Folder;

    [Fact]
    public async Task Nothing_of_another_mailbox_can_be_listed_read_changed_moved_renamed_or_deleted()
    {
        var uid = await _host.DeliverAsync(_bob, Mail("for bob only", "bob@example.test"));
        await _mail.CreateFolderAsync(_bob, "Private", None);
        var bobsInbox = await FolderAsync(_bob, "INBOX");
        var bobsPrivate = await FolderAsync(_bob, "Private");
        var alicesUid = await _host.DeliverAsync(_alice, Mail("alice's own"));
        var alicesInbox = await FolderAsync(_alice, "INBOX");

        var refusals = new[]
        {
            (await _mail.FolderAsync(_alice, bobsInbox.Id, None)).Problem,
            (await _mail.ListAsync(_alice, bobsInbox.Id, new MailSearch(new MessageListQuery()), None)).Problem,
            (await _mail.OpenAsync(_alice, bobsInbox.Id, uid, markSeen: true, None)).Problem,
            (await _mail.SetFlagAsync(_alice, bobsInbox.Id, [uid], SystemFlags.Flagged, set: true, None)).Problem,
            (await _mail.MoveAsync(_alice, bobsInbox.Id, [uid], alicesInbox.Id, None)).Problem,
            (await _mail.MoveAsync(_alice, alicesInbox.Id, [alicesUid], bobsInbox.Id, None)).Problem,
            (await _mail.DeleteAsync(_alice, bobsInbox.Id, [uid], None)).Problem,
            (await _mail.RenameFolderAsync(_alice, bobsPrivate.Id, "Mine", None)).Problem,
            (await _mail.DeleteFolderAsync(_alice, bobsPrivate.Id, None)).Problem,
        };

        Assert.All(refusals, p => Assert.Equal(ProblemKind.NotFound, p?.Kind));
        var bobs = Assert.Single(await _store.ListByUidAsync(bobsInbox.Id, 1, long.MaxValue, None));
        Assert.Equal(SystemFlags.None, bobs.SystemFlags);
        Assert.Single(await _store.ListByUidAsync(alicesInbox.Id, 1, long.MaxValue, None));
        Assert.Equal("Private", (await _store.GetFolderAsync(bobsPrivate.Id, None))?.Name);
    }

    [Fact]
    public async Task Inbox_and_the_special_folders_cannot_be_renamed_or_deleted_and_say_why()
    {
        foreach (var name in new[] { "INBOX", "Drafts", "Sent", "Junk", "Trash", "Archive" })
        {
            var folder = await FolderAsync(_alice, name);

            var renamed = await _mail.RenameFolderAsync(_alice, folder.Id, name + "-old", None);
            var deleted = await _mail.DeleteFolderAsync(_alice, folder.Id, None);

            Assert.Equal(ProblemKind.Denied, renamed.Problem?.Kind);
            Assert.Equal(ProblemKind.Denied, deleted.Problem?.Kind);
            Assert.Contains(name, deleted.Problem!.Message, StringComparison.Ordinal);
            Assert.NotNull(await _store.GetFolderAsync(folder.Id, None));
        }

        Assert.Equal(ProblemKind.Duplicate, (await _mail.CreateFolderAsync(_alice, "inbox", None)).Problem?.Kind);
        Assert.Equal(ProblemKind.Invalid, (await _mail.CreateFolderAsync(_alice, "a//b", None)).Problem?.Kind);
    }

    [Fact]
    public async Task A_disabled_mailbox_reaches_none_of_its_mail()
    {
        await _host.DeliverAsync(_alice, Mail("hello"));
        var inbox = await FolderAsync(_alice, "INBOX");
        await _host.DisableMailboxAsync(_alice);

        Assert.Equal(ProblemKind.Denied, (await _mail.FoldersAsync(_alice, None)).Problem?.Kind);
        Assert.Equal(ProblemKind.Denied, (await _mail.OpenAsync(_alice, inbox.Id, 1, markSeen: false, None)).Problem?.Kind);
    }

    [Fact]
    public async Task Searching_by_recipient_and_body_text_reads_the_messages_and_says_how_many()
    {
        await _host.DeliverAsync(_alice, Mail("minutes", "alice@example.test, Dave <dave@example.org>", "The budget was approved."));
        await _host.DeliverAsync(_alice, Mail("lunch", body: "Pizza on Friday."));
        var inbox = await FolderAsync(_alice, "INBOX");

        var toDave = await _mail.ListAsync(_alice, inbox.Id, new MailSearch(new MessageListQuery()) { To = "DAVE" }, None);
        var budget = await _mail.ListAsync(_alice, inbox.Id, new MailSearch(new MessageListQuery()) { Body = "budget" }, None);
        var neither = await _mail.ListAsync(_alice, inbox.Id, new MailSearch(new MessageListQuery()) { To = "dave", Body = "pizza" }, None);

        Assert.Equal(["minutes"], toDave.Value!.Items.Select(m => m.Subject));
        Assert.Equal(["minutes"], budget.Value!.Items.Select(m => m.Subject));
        Assert.Empty(neither.Value!.Items);
        Assert.Equal(2, budget.Value.Scanned);
        Assert.False(budget.Value.Bounded);
    }

    [Fact]
    public async Task Emptying_trash_deletes_its_messages_for_good_and_leaves_other_folders_alone()
    {
        var keep = await _host.DeliverAsync(_alice, Mail("keep"));
        await _host.DeliverAsync(_alice, Mail("old 1"), "Trash");
        await _host.DeliverAsync(_alice, Mail("old 2"), "Trash");

        var emptied = await _mail.EmptyTrashAsync(_alice, None);

        Assert.Equal(2, emptied.Value);
        Assert.Empty(await _store.ListByUidAsync((await FolderAsync(_alice, "Trash")).Id, 1, long.MaxValue, None));
        Assert.Equal([keep], (await _store.ListByUidAsync((await FolderAsync(_alice, "INBOX")).Id, 1, long.MaxValue, None)).Select(m => m.Uid));
    }
}
