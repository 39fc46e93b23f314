using System.Net;
using System.Text;
using Mailstead.Core.Accounts;
using Mailstead.Core.Mail;
using Mailstead.Core.Mime;
using Microsoft.Extensions.DependencyInjection;

namespace Mailstead.Storage.Tests;

/// <summary>The submission pipeline as the webmail calls it, over a real database, message store and outbox.</summary>
public sealed class MailSubmissionTests
{
    private static readonly CancellationToken None = CancellationToken.None;
    private static readonly Actor Cli = new Actor.System("cli");
    private static readonly SubmissionTrace FromBrowser = SubmissionTrace.Web(IPAddress.Parse("192.0.2.7"), https: true);

    private static readonly byte[] Note = Encoding.ASCII.GetBytes(
        "From: Alice <alice@example.test>\r\nTo: bob@example.test\r\nSubject: Lunch\r\nMessage-ID: <lunch@example.test>\r\n\r\nNoon?\r\n");

    private sealed record Platform(TestStore Store, MailSubmission Submission, MessageStore Messages, Mailbox Alice);

    private static async Task<Platform> PlatformAsync()
    {
        var store = await SqliteAccountStoreTests.CreateSqliteStoreAsync();
        var accounts = store.Services.GetRequiredService<AccountService>();
        Assert.True((await accounts.AddDomainAsync(Cli, "example.test", Surface.Cli, None)).Succeeded);
        foreach (var address in new[] { "alice@example.test", "bob@example.test", "off@example.test" })
        {
            Assert.True((await accounts.AddMailboxAsync(Cli, new NewMailbox(address, null, "violet kettle on the moor"), Surface.Cli, None)).Succeeded);
        }

        var off = (await store.Store.FindMailboxAsync("off@example.test", None))!;
        off.Disabled = true;
        Assert.True(await store.Store.UpdateMailboxAsync(off, new Core.Audit.AuditEvent { Actor = "cli", At = DateTime.UtcNow }, None));
        var alice = (await store.Store.FindMailboxAsync("alice@example.test", None))!;
        return new Platform(store, store.Services.GetRequiredService<MailSubmission>(), store.Services.GetRequiredService<MessageStore>(), alice);
    }

    private static async Task<IReadOnlyList<(StoredMessage Row, string Text)>> FolderAsync(Platform p, string address, string folder)
    {
        var mailbox = (await p.Store.Store.FindMailboxAsync(address, None))!;
        await p.Messages.Metadata.EnsureDefaultFoldersAsync(mailbox.Id, None);
        var id = (await p.Messages.Metadata.FindFolderAsync(mailbox.Id, folder, None))!.Id;
        var rows = await p.Messages.Metadata.ListByUidAsync(id, 1, long.MaxValue, None);
        var list = new List<(StoredMessage, string)>();
        foreach (var row in rows)
        {
            list.Add((row, Encoding.UTF8.GetString((await p.Messages.Bodies.ReadAsync(row.BodyKey, None))!)));
        }

        return list;
    }

    [Fact]
    public async Task Sending_from_the_webmail_delivers_here_now_queues_the_rest_refuses_unknowns_and_keeps_a_read_copy_in_sent()
    {
        var p = await PlatformAsync();
        await using var _ = p.Store;

        var sent = await p.Submission.SubmitAsync(
            new Submission(p.Alice, ["Bob@Example.TEST", "carol@elsewhere.test", "nobody@example.test", "off@example.test", "not an address", "bob@example.test"], Note, FromBrowser) { SaveToSent = true },
            None);

        Assert.True(sent.Succeeded);
        Assert.Equal(
            [
                ("nobody@example.test", RecipientStatus.NoSuchMailbox),
                ("off@example.test", RecipientStatus.MailboxDisabled),
                ("not an address", RecipientStatus.InvalidAddress),
                ("bob@example.test", RecipientStatus.Delivered),
                ("carol@elsewhere.test", RecipientStatus.Queued),
            ],
            sent.Value.Recipients.Select(r => (r.Address, r.Status)));
        var (_, atBob) = Assert.Single(await FolderAsync(p, "bob@example.test", "INBOX"));
        Assert.Matches(@"^Received: from \[192\.0\.2\.7\] \(\[192\.0\.2\.7\]\)\r\n\tby [^ ]+ with HTTPS id [0-9a-f]{16};\r\n\t\w{3}, \d{1,2} \w{3} \d{4} \d\d:\d\d:\d\d \+0000\r\nFrom: Alice", atBob);
        Assert.Contains($"id {sent.Value.Id};", atBob, StringComparison.Ordinal);
        var queued = Assert.Single(await p.Store.Services.GetRequiredService<Outbox>().ListAsync(OutboundState.Queued, None));
        Assert.Equal(["carol@elsewhere.test"], queued.Recipients);
        Assert.Equal("alice@example.test", queued.EnvelopeFrom);
        Assert.Equal(p.Alice.Id, queued.SenderMailboxId);
        var (row, copy) = Assert.Single(await FolderAsync(p, "alice@example.test", "Sent"));
        Assert.Equal(Encoding.ASCII.GetString(Note), copy);
        Assert.True(row.Flags.Has(SystemFlags.Seen));
        Assert.Equal(sent.Value.SentCopy?.Uid, row.Uid);
        Assert.Empty(await FolderAsync(p, "alice@example.test", "INBOX"));
    }

    [Fact]
    public async Task A_message_built_in_the_webmail_reaches_bcc_without_naming_it_while_the_sent_copy_remembers_it()
    {
        var p = await PlatformAsync();
        await using var _ = p.Store;
        var built = MessageBuilder.Build(
            new OutgoingMessage { From = new(p.Alice.Address, "Alice"), To = [new("carol@elsewhere.test")], Bcc = [new("bob@example.test")], Subject = "Surprise", Text = "Party on Friday." },
            TimeProvider.System).Value!;

        var sent = await p.Submission.SubmitAsync(new Submission(p.Alice, built.Recipients, built.Bytes, FromBrowser) { SaveToSent = true, SentCopy = built.WithBcc }, None);

        Assert.True(sent.Value!.AllSucceeded);
        var (_, atBob) = Assert.Single(await FolderAsync(p, "bob@example.test", "INBOX"));
        Assert.DoesNotContain("Bcc:", atBob, StringComparison.Ordinal);
        Assert.DoesNotContain("for <bob@example.test>", atBob, StringComparison.Ordinal);
        Assert.Contains("\r\nBcc: bob@example.test\r\n", Assert.Single(await FolderAsync(p, "alice@example.test", "Sent")).Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Only_the_mailbox_own_address_may_be_the_sender_and_a_refused_message_goes_nowhere()
    {
        var p = await PlatformAsync();
        await using var _ = p.Store;

        var forged = await p.Submission.SubmitAsync(new Submission(p.Alice, ["bob@example.test"], Note, FromBrowser) { EnvelopeFrom = "bob@example.test", SaveToSent = true }, None);
        var nobody = await p.Submission.SubmitAsync(new Submission(p.Alice, [], Note, FromBrowser) { SaveToSent = true }, None);
        var onlyUnknown = await p.Submission.SubmitAsync(new Submission(p.Alice, ["nobody@example.test"], Note, FromBrowser) { SaveToSent = true }, None);

        Assert.Equal(ProblemKind.Denied, forged.Problem?.Kind);
        Assert.Equal("You may send only as <alice@example.test>.", forged.Problem?.Message);
        Assert.Equal(ProblemKind.Invalid, nobody.Problem?.Kind);
        Assert.Equal(RecipientStatus.NoSuchMailbox, Assert.Single(onlyUnknown.Value!.Recipients).Status);
        Assert.Empty(await FolderAsync(p, "bob@example.test", "INBOX"));
        Assert.Empty(await FolderAsync(p, "alice@example.test", "Sent"));
    }

    [Fact]
    public async Task A_message_for_one_recipient_names_it_in_the_received_field_and_a_full_mailbox_is_refused_before_delivery()
    {
        var p = await PlatformAsync();
        await using var _ = p.Store;
        var bob = (await p.Store.Store.FindMailboxAsync("bob@example.test", None))!;

        var one = await p.Submission.SubmitAsync(new Submission(p.Alice, ["bob@example.test"], Note, FromBrowser), None);
        bob.QuotaBytes = Note.Length + 200;
        Assert.True(await p.Store.Store.UpdateMailboxAsync(bob, new Core.Audit.AuditEvent { Actor = "cli", At = DateTime.UtcNow }, None));
        var full = await p.Submission.SubmitAsync(new Submission(p.Alice, ["bob@example.test"], Note, FromBrowser), None);

        Assert.Equal(RecipientStatus.Delivered, Assert.Single(one.Value!.Recipients).Status);
        Assert.Contains("\r\n\tfor <bob@example.test>;\r\n", Assert.Single(await FolderAsync(p, "bob@example.test", "INBOX")).Text, StringComparison.Ordinal);
        Assert.Equal(RecipientStatus.MailboxFull, Assert.Single(full.Value!.Recipients).Status);
        Assert.Empty(await FolderAsync(p, "alice@example.test", "Sent"));
    }
}
