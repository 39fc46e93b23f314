using Mailstead.Core.Accounts;
using Mailstead.Core.Audit;
using Mailstead.Core.Credentials;
using Microsoft.Extensions.DependencyInjection;

namespace Mailstead.Storage.Tests;

/// <summary>What the admin panel and the API ask of <see cref="AccountService"/>, over a real database, once per provider.</summary>
public abstract class AccountServiceTests
{
    private const string Password = "violet kettle on the moor";
    private static readonly CancellationToken None = CancellationToken.None;
    private static readonly Actor Cli = new Actor.System("cli");

    protected abstract Task<TestStore> CreateStoreAsync();

    private static async Task<(AccountService Accounts, Actor Owner, Actor Root)> PlatformAsync(TestStore store)
    {
        var accounts = store.Services.GetRequiredService<AccountService>();
        foreach (var domain in new[] { "example.test", "other.test" })
        {
            Assert.True((await accounts.AddDomainAsync(Cli, domain, Surface.Cli, None)).Succeeded);
        }

        foreach (var address in new[] { "anna@example.test", "bob@example.test", "carl@example.test", "zed@other.test" })
        {
            Assert.True((await accounts.AddMailboxAsync(Cli, new NewMailbox(address, null, Password), Surface.Cli, None)).Succeeded);
        }

        Assert.True((await accounts.AddOperatorAsync(Cli, new NewOperator("owner@example.test", OperatorRole.AccountAdmin, ["example.test"], Password, false), Surface.Cli, None)).Succeeded);
        Assert.True((await accounts.AddOperatorAsync(Cli, new NewOperator("root@example.test", OperatorRole.PlatformAdmin, [], Password, false), Surface.Cli, None)).Succeeded);
        var owner = new Actor.OperatorActor((await store.Store.FindOperatorAsync("owner@example.test", None))!);
        var root = new Actor.OperatorActor((await store.Store.FindOperatorAsync("root@example.test", None))!);
        return (accounts, owner, root);
    }

    [Fact]
    public async Task A_search_pages_through_the_mailboxes_an_account_administrator_may_manage_and_refuses_a_foreign_domain()
    {
        await using var store = await CreateStoreAsync();
        var (accounts, owner, root) = await PlatformAsync(store);

        var first = await accounts.SearchMailboxesAsync(owner, domain: null, text: null, page: 1, pageSize: 2, None);
        var second = await accounts.SearchMailboxesAsync(owner, domain: null, text: null, page: 2, pageSize: 2, None);
        var text = await accounts.SearchMailboxesAsync(root, domain: null, text: "z", page: 1, pageSize: 25, None);
        var foreign = await accounts.SearchMailboxesAsync(owner, "other.test", text: null, page: 1, pageSize: 25, None);

        Assert.Equal(["anna@example.test", "bob@example.test"], first.Value!.Items.Select(m => m.Address));
        Assert.Equal(3, first.Value.Total);
        Assert.Equal(["carl@example.test"], second.Value!.Items.Select(m => m.Address));
        Assert.Equal(["zed@other.test"], text.Value!.Items.Select(m => m.Address));
        Assert.Equal(ProblemKind.Denied, foreign.Problem?.Kind);
    }

    [Fact]
    public async Task Disabling_keeps_the_mailbox_from_signing_in_until_it_is_enabled_and_a_foreign_one_is_refused()
    {
        await using var store = await CreateStoreAsync();
        var (accounts, owner, _) = await PlatformAsync(store);
        var credentials = store.Services.GetRequiredService<CredentialService>();
        Task<bool> SignsInAsync() => credentials.AuthenticateAsync(new LoginAttempt("anna@example.test", Password, Surface.Imap, null), None).ContinueWith(t => t.Result.Succeeded, TaskScheduler.Default);

        Assert.True((await accounts.SetMailboxDisabledAsync(owner, "anna@example.test", true, Surface.AdminPanel, null, None)).Value!.Disabled);
        Assert.False(await SignsInAsync());
        Assert.False((await accounts.SetMailboxDisabledAsync(owner, "anna@example.test", false, Surface.AdminPanel, null, None)).Value!.Disabled);
        Assert.True(await SignsInAsync());

        var foreign = await accounts.SetMailboxDisabledAsync(owner, "zed@other.test", true, Surface.AdminPanel, null, None);
        Assert.Equal(ProblemKind.Denied, foreign.Problem?.Kind);
        Assert.False((await store.Store.FindMailboxAsync("zed@other.test", None))!.Disabled);
    }

    [Fact]
    public async Task A_deleted_mailbox_is_gone_and_audited_and_a_foreign_one_is_refused()
    {
        await using var store = await CreateStoreAsync();
        var (accounts, owner, _) = await PlatformAsync(store);

        Assert.Equal("bob@example.test", (await accounts.DeleteMailboxAsync(owner, "Bob@Example.test", Surface.AdminPanel, null, None)).Value);
        Assert.Null(await store.Store.FindMailboxAsync("bob@example.test", None));
        Assert.Equal(ProblemKind.NotFound, (await accounts.FindMailboxAsync(owner, "bob@example.test", None)).Problem?.Kind);
        Assert.Equal(ProblemKind.Denied, (await accounts.DeleteMailboxAsync(owner, "zed@other.test", Surface.AdminPanel, null, None)).Problem?.Kind);
        Assert.NotNull(await store.Store.FindMailboxAsync("zed@other.test", None));

        var audit = await store.Store.ListAuditAsync(new AuditQuery { Target = "bob@example.test", Action = AuditAction.MailboxDeleted }, None);
        Assert.Equal("owner@example.test", Assert.Single(audit).Actor);
    }

    [Fact]
    public async Task A_mailbox_user_sets_a_recovery_address_only_with_the_current_password_and_both_tries_are_audited()
    {
        await using var store = await CreateStoreAsync();
        var (accounts, _, _) = await PlatformAsync(store);
        var anna = new Actor.MailboxUser("anna@example.test");

        var refused = await accounts.SetRecoveryAddressAsync(new RecoveryAddressChange(anna, "anna@example.test", "anna@home.example", "a guess", Surface.UserPanel, null), None);
        var missing = await accounts.SetRecoveryAddressAsync(new RecoveryAddressChange(anna, "anna@example.test", "anna@home.example", null, Surface.UserPanel, null), None);
        Assert.Equal("The current password is not correct.", refused.Problem?.Fields[PasswordFields.Current]);
        Assert.Equal(ProblemKind.Invalid, missing.Problem?.Kind);
        Assert.Null((await store.Store.FindMailboxAsync("anna@example.test", None))!.RecoveryAddress);

        var set = await accounts.SetRecoveryAddressAsync(new RecoveryAddressChange(anna, "Anna@Example.test", " Anna@Home.EXAMPLE ", Password, Surface.UserPanel, null), None);

        Assert.True(set.Succeeded, set.Problem?.Message);
        Assert.Equal("anna@home.example", (await store.Store.FindMailboxAsync("anna@example.test", None))!.RecoveryAddress);
        Assert.Equal("anna@home.example", (await accounts.FindMailboxForRecoveryAsync(anna, "anna@example.test", None)).Value?.RecoveryAddress);
        var audit = await store.Store.ListAuditAsync(new AuditQuery { Target = "anna@example.test", Action = AuditAction.RecoveryAddressChange }, None);
        Assert.Equal(
            [(AuditOutcome.Success, "set to anna@home.example"), (AuditOutcome.Failure, "wrong current password"), (AuditOutcome.Failure, "wrong current password")],
            audit.Select(e => (e.Outcome, e.Detail)));
        Assert.All(audit, e => Assert.Equal(("anna@example.test", Surface.UserPanel), (e.Actor, e.Surface)));
    }

    [Fact]
    public async Task A_wrong_current_password_for_the_recovery_address_counts_as_a_failed_sign_in()
    {
        await using var store = await CreateStoreAsync();
        var (accounts, _, _) = await PlatformAsync(store);
        var throttle = store.Services.GetRequiredService<LoginThrottle>();
        var client = System.Net.IPAddress.Parse("198.51.100.7");
        var change = new RecoveryAddressChange(new Actor.MailboxUser("anna@example.test"), "anna@example.test", "anna@home.example", "a guess", Surface.UserPanel, client);

        Assert.False((await accounts.SetRecoveryAddressAsync(change, None)).Succeeded);
        for (var i = 0; i < 9; i++) // one short of the block: the wrong password above is the tenth failure
        {
            throttle.RecordFailure("anna@example.test", client);
        }

        var blocked = await accounts.SetRecoveryAddressAsync(change with { CurrentPassword = Password }, None);
        Assert.Equal(ProblemKind.Throttled, blocked.Problem?.Kind);
        Assert.Null((await store.Store.FindMailboxAsync("anna@example.test", None))!.RecoveryAddress);
    }

    [Fact]
    public async Task A_recovery_address_that_is_not_an_address_or_is_the_mailbox_itself_is_refused_beside_the_field()
    {
        await using var store = await CreateStoreAsync();
        var (accounts, owner, _) = await PlatformAsync(store);

        var malformed = await accounts.SetRecoveryAddressAsync(new RecoveryAddressChange(owner, "anna@example.test", "anna at home", null, Surface.AdminPanel, null), None);
        var itself = await accounts.SetRecoveryAddressAsync(new RecoveryAddressChange(owner, "anna@example.test", "ANNA@example.test", null, Surface.AdminPanel, null), None);

        Assert.Contains("is not an email address", malformed.Problem?.Fields[MailboxFields.RecoveryAddress], StringComparison.Ordinal);
        Assert.Contains("another address than the mailbox's own", itself.Problem?.Fields[MailboxFields.RecoveryAddress], StringComparison.Ordinal);
        Assert.Null((await store.Store.FindMailboxAsync("anna@example.test", None))!.RecoveryAddress);
    }

    [Fact]
    public async Task An_operator_sets_and_removes_a_recovery_address_without_a_password_but_only_in_their_domains()
    {
        await using var store = await CreateStoreAsync();
        var (accounts, owner, _) = await PlatformAsync(store);

        var set = await accounts.SetRecoveryAddressAsync(new RecoveryAddressChange(owner, "anna@example.test", "anna@home.example", null, Surface.AdminPanel, null), None);
        var foreign = await accounts.SetRecoveryAddressAsync(new RecoveryAddressChange(owner, "zed@other.test", "zed@home.example", null, Surface.AdminPanel, null), None);
        var otherMailbox = await accounts.SetRecoveryAddressAsync(new RecoveryAddressChange(new Actor.MailboxUser("bob@example.test"), "anna@example.test", "bob@home.example", Password, Surface.UserPanel, null), None);
        var removed = await accounts.SetRecoveryAddressAsync(new RecoveryAddressChange(owner, "anna@example.test", "  ", null, Surface.AdminPanel, null), None);

        Assert.Equal("anna@home.example", set.Value?.RecoveryAddress);
        Assert.Equal(ProblemKind.Denied, foreign.Problem?.Kind);
        Assert.Equal(ProblemKind.Denied, otherMailbox.Problem?.Kind);
        Assert.Equal(ProblemKind.Denied, (await accounts.FindMailboxForRecoveryAsync(owner, "zed@other.test", None)).Problem?.Kind);
        Assert.True(removed.Succeeded);
        Assert.Null(removed.Value.RecoveryAddress);
        Assert.Null((await store.Store.FindMailboxAsync("anna@example.test", None))!.RecoveryAddress);
        Assert.Null((await store.Store.FindMailboxAsync("zed@other.test", None))!.RecoveryAddress);
        var audit = await store.Store.ListAuditAsync(new AuditQuery { Action = AuditAction.RecoveryAddressChange }, None);
        Assert.Equal(["removed (was anna@home.example)", "set to anna@home.example"], audit.Select(e => e.Detail));
        Assert.All(audit, e => Assert.Equal("owner@example.test", e.Actor));
    }

    [Fact]
    public async Task Domain_settings_are_for_platform_administrators_only()
    {
        await using var store = await CreateStoreAsync();
        var (accounts, owner, root) = await PlatformAsync(store);
        var overrides = new PasswordPolicyOverrides { MinLength = 16, RequireDigit = true };

        Assert.Equal(["example.test", "other.test"], (await accounts.ListDomainSettingsAsync(root, None)).Value!.Select(d => d.Name));
        Assert.Equal(ProblemKind.Denied, (await accounts.ListDomainSettingsAsync(owner, None)).Problem?.Kind);
        Assert.Equal(ProblemKind.Denied, (await accounts.FindDomainSettingsAsync(owner, "example.test", None)).Problem?.Kind);
        Assert.Equal(ProblemKind.Denied, (await accounts.UpdateDomainAsync(owner, "example.test", false, null, overrides, Surface.AdminPanel, None)).Problem?.Kind);

        Assert.True((await accounts.UpdateDomainAsync(root, "example.test", false, "IT desk, it@example.test", overrides, Surface.AdminPanel, None)).Succeeded);
        var saved = (await accounts.FindDomainSettingsAsync(root, "EXAMPLE.test", None)).Value!;
        Assert.Equal((false, "IT desk, it@example.test", overrides), (saved.SelfServiceEnabled, saved.AdminContact, saved.PolicyOverrides));
        Assert.Equal(ProblemKind.NotFound, (await accounts.FindDomainSettingsAsync(root, "nowhere.test", None)).Problem?.Kind);
        Assert.Equal(ProblemKind.Invalid, (await accounts.UpdateDomainAsync(root, "example.test", true, null, new PasswordPolicyOverrides { MinLength = 0 }, Surface.AdminPanel, None)).Problem?.Kind);
    }

    [Fact]
    public async Task An_account_administrator_reads_only_their_domains_audit_events_and_a_mailbox_only_its_own()
    {
        await using var store = await CreateStoreAsync();
        var (accounts, owner, root) = await PlatformAsync(store);

        var mine = (await accounts.ListAuditAsync(owner, new AuditQuery(), None)).Value!;
        var all = (await accounts.ListAuditAsync(root, new AuditQuery { TargetContains = "other" }, None)).Value!;
        var foreign = (await accounts.ListAuditAsync(owner, new AuditQuery { Domains = ["other.test"] }, None)).Value!;

        Assert.NotEmpty(mine);
        Assert.All(mine, e => Assert.Equal("example.test", e.Domain));
        Assert.Contains(all, e => e.Target == "zed@other.test");
        Assert.Empty(foreign);
        var own = (await accounts.ListAuditAsync(new Actor.MailboxUser("anna@example.test"), new AuditQuery { Target = "zed@other.test" }, None)).Value!;
        Assert.NotEmpty(own);
        Assert.All(own, e => Assert.Equal("anna@example.test", e.Target)); // a mailbox reads only its own security log
    }
}

public sealed class SqliteAccountServiceTests : AccountServiceTests
{
    protected override Task<TestStore> CreateStoreAsync() => SqliteAccountStoreTests.CreateSqliteStoreAsync();
}

[Collection(PostgresTests.Name)]
public sealed class PostgresAccountServiceTests(PostgresServer server) : AccountServiceTests
{
    protected override Task<TestStore> CreateStoreAsync() => PostgresAccountStoreTests.CreatePostgresStoreAsync(server);
}
