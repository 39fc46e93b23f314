using System.Text;
using Mailstead.Core.Accounts;
using Mailstead.Core.Credentials;
using Mailstead.Core.Mail;
using Microsoft.Extensions.DependencyInjection;

namespace Mailstead.Storage.Tests;

/// <summary>The security notices for a recovery address: the password notice's copy, and the notice of a new recovery address.</summary>
public abstract partial class MessageStoreTests
{
    private const string BobPassword = "amber gulls over the harbour";

    private static async Task<AccountService> WithBobAsync(TestStore store)
    {
        var accounts = store.Services.GetRequiredService<AccountService>();
        Assert.True((await accounts.AddMailboxAsync(Cli, new NewMailbox("bob@example.test", null, BobPassword), Surface.Cli, None)).Succeeded);
        return accounts;
    }

    private static async Task SetRecoveryAsync(AccountService accounts, string? recovery)
    {
        var set = await accounts.SetRecoveryAddressAsync(new RecoveryAddressChange(Cli, "alice@example.test", recovery, null, Surface.Cli, null), None);
        Assert.True(set.Succeeded, set.Problem?.Message);
    }

    /// <summary>Every message in the INBOX of <paramref name="address"/>: subject and whole text.</summary>
    private static async Task<List<(string? Subject, string Text)>> InboxAsync(Platform p, string address)
    {
        var mailbox = (await p.Store.Store.FindMailboxAsync(address, None))!;
        var found = new List<(string?, string)>();
        if (await p.Metadata.FindFolderAsync(mailbox.Id, "INBOX", None) is not { } inbox)
        {
            return found;
        }

        foreach (var message in await p.Metadata.ListByUidAsync(inbox.Id, 1, long.MaxValue, None))
        {
            found.Add((message.Subject, Encoding.UTF8.GetString((await p.Bodies.ReadAsync(message.BodyKey, None))!)));
        }

        return found;
    }

    [Fact]
    public async Task A_password_change_delivers_the_notice_to_a_local_recovery_mailbox_and_queues_one_for_a_remote_recovery_address()
    {
        await using var store = await CreateStoreAsync();
        var p = await PlatformAsync(store);
        var accounts = await WithBobAsync(store);
        var credentials = store.Services.GetRequiredService<CredentialService>();
        var outbox = store.Services.GetRequiredService<Outbox>();
        const string First = "seven lanterns above the bay";
        const string Second = "quiet river under amber skies";

        await SetRecoveryAsync(accounts, "bob@example.test");
        Assert.True((await credentials.ResetPasswordAsync(new PasswordResetRequest(Cli, "alice@example.test", First, MustChange: true, Surface.Cli, Client: null), None)).Succeeded);
        await SetRecoveryAsync(accounts, "alice@elsewhere.example");
        var changed = await credentials.ChangeOwnPasswordAsync(
            new PasswordChangeRequest(new CredentialOwner(CredentialOwnerKind.Mailbox, "alice@example.test"), First, Second, Second, Surface.Webmail, System.Net.IPAddress.Parse("198.51.100.7")),
            None);
        Assert.True(changed.Succeeded, changed.Problem?.Message);

        var local = (await InboxAsync(p, "bob@example.test")).Single(m => m.Subject == "The password of alice@example.test was reset");
        Assert.Contains("You receive this because bob@example.test is the recovery address of alice@example.test.", local.Text, StringComparison.Ordinal);
        Assert.Contains("\r\nTo: <bob@example.test>\r\n", local.Text, StringComparison.Ordinal);
        Assert.Contains("\r\nMailbox:    alice@example.test\r\n", local.Text, StringComparison.Ordinal);
        Assert.Contains("Its user will be asked to choose a new password at the next sign-in.", local.Text, StringComparison.Ordinal);

        var queued = Assert.Single(await outbox.ListAsync(OutboundState.Queued, None));
        var remote = Encoding.UTF8.GetString((await p.Bodies.ReadAsync(queued.BodyKey, None))!);
        Assert.Equal("", queued.EnvelopeFrom); // the null reverse-path: no bounce comes back for a notice
        Assert.Equal(["alice@elsewhere.example"], queued.Recipients);
        Assert.Null(queued.SenderMailboxId);
        Assert.Contains("\r\nSubject: The password of alice@example.test was changed\r\n", remote, StringComparison.Ordinal);
        Assert.Contains("\r\nAuto-Submitted: auto-generated\r\n", remote, StringComparison.Ordinal);
        Assert.Contains("someone signed in as alice@example.test, with its password", remote, StringComparison.Ordinal);
        Assert.Contains("198.51.100.7", remote, StringComparison.Ordinal);

        foreach (var copy in new[] { local.Text, remote })
        {
            Assert.Contains("If this was not you, or you did not ask for it, contact the administrator of example.test at once", copy, StringComparison.Ordinal);
            Assert.Contains("someone else may know the password of alice@example.test.", copy, StringComparison.Ordinal);
            Assert.DoesNotContain(First, copy, StringComparison.Ordinal);
            Assert.DoesNotContain(Second, copy, StringComparison.Ordinal);
            Assert.DoesNotContain(AlicePassword, copy, StringComparison.Ordinal);
        }

        // The mailbox still hears of both, in its own words.
        Assert.Equal(2, (await InboxAsync(p, "alice@example.test")).Count(m => m.Subject is "Your mailbox password was reset" or "Your mailbox password was changed"));
    }

    [Fact]
    public async Task A_new_recovery_address_is_told_to_the_mailbox_and_to_the_address_that_stops_hearing()
    {
        await using var store = await CreateStoreAsync();
        var p = await PlatformAsync(store);
        var accounts = await WithBobAsync(store);
        var outbox = store.Services.GetRequiredService<Outbox>();

        await SetRecoveryAsync(accounts, "alice@elsewhere.example");
        await SetRecoveryAsync(accounts, "bob@example.test");
        await SetRecoveryAsync(accounts, null);

        var toMailbox = await InboxAsync(p, "alice@example.test");
        Assert.Equal(
            ["The recovery address of your mailbox was set", "The recovery address of your mailbox was changed", "The recovery address of your mailbox was removed"],
            toMailbox.Select(m => m.Subject));
        Assert.Contains("\r\nBefore:     alice@elsewhere.example\r\nNow:        bob@example.test\r\n", toMailbox[1].Text, StringComparison.Ordinal);
        Assert.Contains("now go into this mailbox and to bob@example.test.", toMailbox[1].Text, StringComparison.Ordinal);
        Assert.Contains("now go into this mailbox only.", toMailbox[2].Text, StringComparison.Ordinal);
        Assert.Contains("the server administrator, on the server's command line", toMailbox[0].Text, StringComparison.Ordinal);

        // The old addresses are told they stop hearing; neither is told where the notices go now.
        var remote = Assert.Single(await outbox.ListAsync(OutboundState.Queued, None));
        var toOld = Encoding.UTF8.GetString((await p.Bodies.ReadAsync(remote.BodyKey, None))!);
        Assert.Equal(["alice@elsewhere.example"], remote.Recipients);
        Assert.Contains("alice@elsewhere.example is no longer the recovery address of alice@example.test.", toOld, StringComparison.Ordinal);
        Assert.DoesNotContain("bob@example.test", toOld, StringComparison.Ordinal);
        var toBob = Assert.Single(await InboxAsync(p, "bob@example.test"));
        Assert.Contains("It will not hear about password changes of alice@example.test any more.", toBob.Text, StringComparison.Ordinal);
        Assert.Contains("If this was not you", toBob.Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_recovery_address_that_cannot_be_reached_neither_undoes_nor_blocks_the_password_change()
    {
        await using var store = await CreateStoreAsync();
        var p = await PlatformAsync(store);
        var accounts = await WithBobAsync(store);
        var credentials = store.Services.GetRequiredService<CredentialService>();
        const string NewPassword = "seven lanterns above the bay";
        await SetRecoveryAsync(accounts, "bob@example.test");
        Assert.True((await accounts.DeleteMailboxAsync(Cli, "bob@example.test", Surface.Cli, null, None)).Succeeded);

        var reset = await credentials.ResetPasswordAsync(new PasswordResetRequest(Cli, "alice@example.test", NewPassword, MustChange: false, Surface.Cli, Client: null), None);

        Assert.True(reset.Succeeded, reset.Problem?.Message);
        Assert.True((await credentials.AuthenticateAsync(new LoginAttempt("alice@example.test", NewPassword, Surface.Imap, null), None)).Succeeded);
        Assert.Contains(await InboxAsync(p, "alice@example.test"), m => m.Subject == "Your mailbox password was reset");
    }
}
