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
