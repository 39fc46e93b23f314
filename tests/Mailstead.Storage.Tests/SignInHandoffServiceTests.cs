using System.Net;
using Mailstead.Core.Accounts;
using Mailstead.Core.Audit;
using Mailstead.Core.Credentials;
using Mailstead.Core.Sessions;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace Mailstead.Storage.Tests;

/// <summary>Single sign-on from the webmail into the user panel over a real database, once per provider.</summary>
public abstract class SignInHandoffServiceTests
{
    private static readonly CancellationToken None = CancellationToken.None;
    private static readonly CredentialOwner Alice = new(CredentialOwnerKind.Mailbox, "alice@example.test");
    private static readonly IPAddress Browser = IPAddress.Parse("198.51.100.4");
    private readonly FakeTimeProvider _time = new(DateTimeOffset.UtcNow);

    protected abstract Task<TestStore> CreateStoreAsync();

    private sealed record Platform(TestStore Store, SessionService Sessions, SignInHandoffService Handoffs, ActiveSession Webmail);

    private async Task<Platform> PlatformAsync()
    {
        var store = await CreateStoreAsync();
        var accounts = store.Services.GetRequiredService<AccountService>();
        var cli = new Actor.System("cli");
        await accounts.AddDomainAsync(cli, "example.test", Surface.Cli, None);
        await accounts.AddMailboxAsync(cli, new NewMailbox(Alice.Login, null, "violet kettle on the moor"), Surface.Cli, None);
        var sessions = new SessionService(store.Services.GetRequiredService<ISessionStore>(), store.Store, _time, Options.Create(new SessionOptions()));
        var handoffs = new SignInHandoffService(store.Services.GetRequiredService<ISignInHandoffStore>(), sessions, store.Store, _time, NullLogger<SignInHandoffService>.Instance);
        var mailbox = (await store.Store.FindMailboxAsync(Alice.Login, None))!;
        var issued = await sessions.StartAsync(Alice, mailbox.Credential.Epoch, Surface.Webmail, Browser, "Firefox", None);
        return new Platform(store, sessions, handoffs, (await sessions.ValidateAsync(issued.Token, None))!);
    }

    private static async Task<string> IssueAsync(Platform p)
    {
        var issued = await p.Handoffs.IssueAsync(p.Webmail, Surface.UserPanel, Browser, None);
        Assert.True(issued.Succeeded, issued.Problem?.Message);
        return issued.Value.Token;
    }

    private static async Task<IReadOnlyList<AuditEvent>> LogAsync(Platform p) =>
        await p.Store.Store.ListAuditAsync(new AuditQuery { Target = Alice.Login }, None);

    [Fact]
    public async Task User_settings_signs_the_same_mailbox_into_the_user_panel_once_and_a_replay_is_refused_and_logged()
    {
        var p = await PlatformAsync();
        await using var _ = p.Store;

        var token = await IssueAsync(p);
        var first = await p.Handoffs.RedeemAsync(token, Surface.UserPanel, Browser, None);
        var replay = await p.Handoffs.RedeemAsync(token, Surface.UserPanel, Browser, None);

        Assert.True(first.Succeeded, first.Problem?.Message);
        Assert.Equal(Alice, first.Value.Owner);
        Assert.Equal(p.Webmail.Session.Epoch, first.Value.Epoch);
        Assert.False(replay.Succeeded);
        Assert.Equal("This sign-in link is no longer valid. Sign in with your address and password.", replay.Problem.Message);
        var log = await LogAsync(p);
        Assert.Contains(log, e => e is { Action: AuditAction.SignInHandoffIssued, Outcome: AuditOutcome.Success, Surface: Surface.Webmail, ClientAddress: "198.51.100.4" });
        Assert.Contains(log, e => e is { Action: AuditAction.SignIn, Outcome: AuditOutcome.Success, Surface: Surface.UserPanel, Detail: "single sign-on from the webmail" });
        Assert.Contains(log, e => e is { Action: AuditAction.SignIn, Outcome: AuditOutcome.Failure, Surface: Surface.UserPanel, Detail: "single sign-on link used twice" });

        await using var db = await p.Store.Contexts.CreateDbContextAsync();
        var row = await db.SignInHandoffs.SingleAsync();
        Assert.Equal(SessionService.Hash(token), row.TokenHash);
        Assert.NotEqual(token, row.TokenHash);
        Assert.Equal(p.Webmail.Session.Id, row.SessionId);
        Assert.True(token.Length >= 43); // 256 random bits
    }

    [Fact]
    public async Task A_link_older_than_a_minute_or_made_up_does_not_sign_in()
    {
        var p = await PlatformAsync();
        await using var _ = p.Store;

        var token = await IssueAsync(p);
        _time.Advance(SignInHandoffService.Lifetime);

        Assert.False((await p.Handoffs.RedeemAsync(token, Surface.UserPanel, Browser, None)).Succeeded);
        Assert.False((await p.Handoffs.RedeemAsync(token + "x", Surface.UserPanel, Browser, None)).Succeeded);
        Assert.False((await p.Handoffs.RedeemAsync("", Surface.UserPanel, Browser, None)).Succeeded);
        Assert.Contains(await LogAsync(p), e => e is { Action: AuditAction.SignIn, Outcome: AuditOutcome.Failure, Detail: "single sign-on link expired" });
    }

    [Fact]
    public async Task A_link_not_yet_used_dies_with_a_password_change_a_sign_out_or_a_disabled_mailbox()
    {
        var p = await PlatformAsync();
        await using var _ = p.Store;
        var credentials = p.Store.Services.GetRequiredService<CredentialService>();

        var beforeReset = await IssueAsync(p);
        await credentials.ResetPasswordAsync(new PasswordResetRequest(new Actor.System("cli"), Alice.Login, "seven lanterns above the bay", false, Surface.Cli, null), None);
        Assert.False((await p.Handoffs.RedeemAsync(beforeReset, Surface.UserPanel, Browser, None)).Succeeded);

        var mailbox = (await p.Store.Store.FindMailboxAsync(Alice.Login, None))!;
        var again = (await p.Sessions.ValidateAsync((await p.Sessions.StartAsync(Alice, mailbox.Credential.Epoch, Surface.Webmail, Browser, null, None)).Token, None))!;
        var beforeSignOut = (await p.Handoffs.IssueAsync(again, Surface.UserPanel, Browser, None)).Value!.Token;
        await p.Sessions.EndAsync(Alice, again.Session.Id, None);
        Assert.False((await p.Handoffs.RedeemAsync(beforeSignOut, Surface.UserPanel, Browser, None)).Succeeded);

        var third = (await p.Sessions.ValidateAsync((await p.Sessions.StartAsync(Alice, mailbox.Credential.Epoch, Surface.Webmail, Browser, null, None)).Token, None))!;
        var beforeDisable = (await p.Handoffs.IssueAsync(third, Surface.UserPanel, Browser, None)).Value!.Token;
        mailbox.Disabled = true;
        Assert.True(await p.Store.Store.UpdateMailboxAsync(mailbox, new AuditEvent { Actor = "cli", At = DateTime.UtcNow, Action = AuditAction.MailboxUpdated }, None));
        Assert.False((await p.Handoffs.RedeemAsync(beforeDisable, Surface.UserPanel, Browser, None)).Succeeded);
        Assert.Contains(await LogAsync(p), e => e is { Action: AuditAction.SignIn, Outcome: AuditOutcome.Failure, Detail: "single sign-on from a session that has ended" });
    }

    [Fact]
    public async Task Only_a_webmail_session_of_a_mailbox_issues_links_and_only_the_user_panel_redeems_them()
    {
        var p = await PlatformAsync();
        await using var _ = p.Store;
        var epoch = p.Webmail.Session.Epoch;
        var panel = (await p.Sessions.ValidateAsync((await p.Sessions.StartAsync(Alice, epoch, Surface.UserPanel, Browser, null, None)).Token, None))!;

        var fromPanel = await p.Handoffs.IssueAsync(panel, Surface.UserPanel, Browser, None);
        var toAdmin = await p.Handoffs.IssueAsync(p.Webmail, Surface.AdminPanel, Browser, None);
        var token = await IssueAsync(p);
        var atAdmin = await p.Handoffs.RedeemAsync(token, Surface.AdminPanel, Browser, None);

        Assert.Equal(ProblemKind.Denied, fromPanel.Problem?.Kind);
        Assert.Equal(ProblemKind.Denied, toAdmin.Problem?.Kind);
        Assert.False(atAdmin.Succeeded);
        Assert.False((await p.Handoffs.RedeemAsync(token, Surface.UserPanel, Browser, None)).Succeeded);
    }

    [Fact]
    public async Task Of_many_redeems_of_one_link_at_the_same_moment_exactly_one_signs_in()
    {
        var p = await PlatformAsync();
        await using var _ = p.Store;
        var token = await IssueAsync(p);

        var redeems = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => Task.Run(() => p.Handoffs.RedeemAsync(token, Surface.UserPanel, Browser, None))));

        Assert.Single(redeems, r => r.Succeeded);
        Assert.Equal(7, redeems.Count(r => !r.Succeeded));
    }
}

public sealed class SqliteSignInHandoffServiceTests : SignInHandoffServiceTests
{
    protected override Task<TestStore> CreateStoreAsync() => SqliteAccountStoreTests.CreateSqliteStoreAsync();
}

[Collection(PostgresTests.Name)]
public sealed class PostgresSignInHandoffServiceTests(PostgresServer server) : SignInHandoffServiceTests
{
    protected override Task<TestStore> CreateStoreAsync() => PostgresAccountStoreTests.CreatePostgresStoreAsync(server);
}
