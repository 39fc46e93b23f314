using System.Data.Common;
using Mailstead.Core.Accounts;
using Mailstead.Core.Audit;
using Mailstead.Core.Credentials;
using Microsoft.EntityFrameworkCore;

namespace Mailstead.Storage.Tests;

/// <summary>The store's contract, run once per provider by the derived classes.</summary>
public abstract class AccountStoreTests
{
    private const string OldHash = "{ARGON2ID}$argon2id$v=19$m=19456,t=2,p=1$b2xkc2FsdA$b2xkaGFzaA";

    // Whole microseconds: PostgreSQL keeps no finer precision.
    private static readonly DateTime T0 = new DateTime(2026, 11, 22, 10, 0, 0, DateTimeKind.Utc).AddTicks(1_234_560);

    private static readonly CancellationToken None = CancellationToken.None;

    protected abstract Task<TestStore> CreateStoreAsync();

    [Fact]
    public async Task Migrations_apply_on_an_empty_database_and_match_the_model()
    {
        await using var store = await CreateStoreAsync();
        await using var db = await store.Contexts.CreateDbContextAsync();

        Assert.Contains(await db.Database.GetAppliedMigrationsAsync(), m => m.EndsWith("_Initial", StringComparison.Ordinal));
        Assert.Empty(await db.Database.GetPendingMigrationsAsync());
        Assert.False(db.Database.HasPendingModelChanges(), "The model changed without a migration: see src/Mailstead.Storage/README.md.");
        Assert.Empty(await store.Store.ListDomainsAsync(None));
        Assert.False(await store.Store.AnyOperatorAsync(None));
    }

    [Fact]
    public async Task Domains_are_added_once_found_by_name_and_listed_in_name_order()
    {
        await using var store = await CreateStoreAsync();
        var s = store.Store;

        Assert.True(await s.TryAddDomainAsync(NewDomain("b.example"), Audit(AuditAction.DomainCreated, "b.example", "b.example"), None));
        Assert.True(await s.TryAddDomainAsync(NewDomain("a.example"), Audit(AuditAction.DomainCreated, "a.example", "a.example"), None));
        Assert.False(await s.TryAddDomainAsync(NewDomain("a.example"), Audit(AuditAction.DomainCreated, "a.example", "a.example"), None));

        Assert.Equal(["a.example", "b.example"], (await s.ListDomainsAsync(None)).Select(d => d.Name));
        var found = await s.FindDomainAsync("a.example", None);
        Assert.NotNull(found);
        Assert.True(found.Id > 0);
        Assert.True(found.SelfServiceEnabled);
        Assert.Equal(new PasswordPolicyOverrides(), found.PolicyOverrides);
        Assert.Null(await s.FindDomainAsync("c.example", None));
        Assert.Equal(2, (await s.ListAuditAsync(new AuditQuery { Action = AuditAction.DomainCreated }, None)).Count);
    }

    [Fact]
    public async Task A_domain_update_round_trips_its_policy_overrides_and_records_its_audit_event()
    {
        await using var store = await CreateStoreAsync();
        var s = store.Store;
        await s.TryAddDomainAsync(NewDomain("example.org"), Audit(AuditAction.DomainCreated, "example.org", "example.org"), None);
        var domain = (await s.FindDomainAsync("example.org", None))!;

        domain.SelfServiceEnabled = false;
        domain.AdminContact = "hostmaster@example.org";
        domain.PolicyOverrides = new PasswordPolicyOverrides { MinLength = 16, RequireDigit = true, RequireSymbol = true };
        await s.UpdateDomainAsync(domain, Audit(AuditAction.DomainUpdated, "example.org", "example.org"), None);

        var found = (await s.FindDomainAsync("example.org", None))!;
        Assert.False(found.SelfServiceEnabled);
        Assert.Equal("hostmaster@example.org", found.AdminContact);
        Assert.Equal(new PasswordPolicyOverrides { MinLength = 16, RequireDigit = true, RequireSymbol = true }, found.PolicyOverrides);
        Assert.Single(await s.ListAuditAsync(new AuditQuery { Action = AuditAction.DomainUpdated }, None));
    }

    [Fact]
    public async Task A_taken_address_is_refused_and_nothing_is_written()
    {
        await using var store = await CreateStoreAsync();
        var s = store.Store;
        var domain = await AddDomainAsync(s, "example.org");

        Assert.True(await s.TryAddMailboxAsync(NewMailbox("anna@example.org", domain), Audit(AuditAction.MailboxCreated, "anna@example.org", "example.org"), None));
        var second = NewMailbox("anna@example.org", domain);
        second.DisplayName = "Impostor";
        Assert.False(await s.TryAddMailboxAsync(second, Audit(AuditAction.MailboxCreated, "anna@example.org", "example.org"), None));

        var found = await s.FindMailboxAsync("anna@example.org", None);
        Assert.NotNull(found);
        Assert.Null(found.DisplayName);
        Assert.Single(await s.ListMailboxesAsync(null, None));
        Assert.Single(await s.ListAuditAsync(new AuditQuery { Action = AuditAction.MailboxCreated }, None));
    }

    [Fact]
    public async Task Of_concurrent_adds_of_one_address_exactly_one_succeeds()
    {
        await using var store = await CreateStoreAsync();
        var s = store.Store;
        var domain = await AddDomainAsync(s, "example.org");

        // Several may pass the existence check together; the unique index decides, and the losers get false.
        var results = await Task.WhenAll(Enumerable.Range(0, 8).Select(i => Task.Run(() =>
            s.TryAddMailboxAsync(NewMailbox("race@example.org", domain), Audit(AuditAction.MailboxCreated, "race@example.org", "example.org", detail: $"#{i}"), None))));

        Assert.Single(results, r => r);
        Assert.Single(await s.ListMailboxesAsync(null, None));
        Assert.Single(await s.ListAuditAsync(new AuditQuery { Action = AuditAction.MailboxCreated }, None));
    }

    [Fact]
    public async Task An_add_that_passes_the_check_but_loses_the_insert_returns_false_and_writes_nothing()
    {
        await using var store = await CreateStoreAsync();
        var s = store.Store;
        var domain = await AddDomainAsync(s, "example.org");

        // Another writer has inserted the address but not committed: the store's check cannot see the row, its
        // insert waits for the other transaction, then breaks the unique index.
        await using var other = await store.Contexts.CreateDbContextAsync();
        await using var transaction = await other.Database.BeginTransactionAsync();
        other.Mailboxes.Add(NewMailbox("anna@example.org", domain));
        await other.SaveChangesAsync();

        var add = Task.Run(() => s.TryAddMailboxAsync(NewMailbox("anna@example.org", domain), Audit(AuditAction.MailboxCreated, "anna@example.org", "example.org"), None));
        await Task.Delay(300);
        Assert.False(add.IsCompleted, "The insert should wait for the other writer.");
        await transaction.CommitAsync();

        Assert.False(await add);
        Assert.Single(await s.ListMailboxesAsync(null, None));
        Assert.Empty(await s.ListAuditAsync(new AuditQuery { Action = AuditAction.MailboxCreated }, None));
    }

    [Fact]
    public async Task Mailboxes_are_listed_in_ordinal_address_order_and_filtered_by_domain()
    {
        await using var store = await CreateStoreAsync();
        var s = store.Store;
        var org = await AddDomainAsync(s, "example.org");
        var net = await AddDomainAsync(s, "example.net");
        string[] orgAddresses = ["zoe@example.org", "ab@example.org", "a_b@example.org", "a.b@example.org", "Ω@example.org".ToLowerInvariant()];
        foreach (var address in orgAddresses)
        {
            Assert.True(await s.TryAddMailboxAsync(NewMailbox(address, org), Audit(AuditAction.MailboxCreated, address, "example.org"), None));
        }

        Assert.True(await s.TryAddMailboxAsync(NewMailbox("anna@example.net", net), Audit(AuditAction.MailboxCreated, "anna@example.net", "example.net"), None));

        // Ordinal (byte) order, whatever the database locale: '.' < '_' < 'b' < 'z' < 'ω'.
        Assert.Equal(orgAddresses.Order(StringComparer.Ordinal), (await s.ListMailboxesAsync("example.org", None)).Select(m => m.Address));
        Assert.Equal(["anna@example.net"], (await s.ListMailboxesAsync("example.net", None)).Select(m => m.Address));
        Assert.Equal(6, (await s.ListMailboxesAsync(null, None)).Count);
        Assert.Empty(await s.ListMailboxesAsync("example.com", None));
        Assert.All(await s.ListMailboxesAsync("example.org", None), m => Assert.Equal(org.Id, m.DomainId));
    }

    [Fact]
    public async Task A_mailbox_needs_its_domain_and_keeps_it_from_being_deleted()
    {
        await using var store = await CreateStoreAsync();
        var s = store.Store;
        var domain = await AddDomainAsync(s, "example.org");
        await s.TryAddMailboxAsync(NewMailbox("anna@example.org", domain), Audit(AuditAction.MailboxCreated, "anna@example.org", "example.org"), None);

        await Assert.ThrowsAsync<DbUpdateException>(() =>
            s.TryAddMailboxAsync(NewMailbox("bob@nowhere.example", new Domain { Id = domain.Id + 1000, Name = "nowhere.example" }), Audit(AuditAction.MailboxCreated, "bob@nowhere.example", "nowhere.example"), None));

        await using var db = await store.Contexts.CreateDbContextAsync();
        await Assert.ThrowsAnyAsync<DbException>(() => db.Domains.Where(d => d.Id == domain.Id).ExecuteDeleteAsync());
        Assert.NotNull(await s.FindDomainAsync("example.org", None));
    }

    [Fact]
    public async Task Operators_round_trip_their_role_and_domains_and_emails_are_unique()
    {
        await using var store = await CreateStoreAsync();
        var s = store.Store;
        Assert.False(await s.AnyOperatorAsync(None));

        var op = NewOperator("reseller@example.com", OperatorRole.AccountAdmin, "example.org", "example.net");
        Assert.True(await s.TryAddOperatorAsync(op, Audit(AuditAction.OperatorCreated, "reseller@example.com", null), None));
        Assert.False(await s.TryAddOperatorAsync(NewOperator("reseller@example.com", OperatorRole.PlatformAdmin), Audit(AuditAction.OperatorCreated, "reseller@example.com", null), None));

        Assert.True(await s.AnyOperatorAsync(None));
        var found = await s.FindOperatorAsync("reseller@example.com", None);
        Assert.NotNull(found);
        Assert.Equal(OperatorRole.AccountAdmin, found.Role);
        Assert.Equal(["example.org", "example.net"], found.Domains);
        Assert.True(found.CanManage("example.net"));
        Assert.False(found.CanManage("example.com"));
        Assert.Equal(OldHash, found.Credential.PasswordHash);
        Assert.Null(await s.FindOperatorAsync("nobody@example.com", None));
        Assert.Single(await s.ListAuditAsync(new AuditQuery { Action = AuditAction.OperatorCreated }, None));
    }

    [Fact]
    public async Task A_credential_is_replaced_once_per_epoch()
    {
        await using var store = await CreateStoreAsync();
        var s = store.Store;
        var domain = await AddDomainAsync(s, "example.org");
        await s.TryAddMailboxAsync(NewMailbox("anna@example.org", domain), Audit(AuditAction.MailboxCreated, "anna@example.org", "example.org"), None);
        var owner = new CredentialOwner(CredentialOwnerKind.Mailbox, "anna@example.org");
        var at = T0.AddMinutes(5);

        Assert.True(await s.TryReplaceCredentialAsync(owner, "{ARGON2ID}new", mustChange: true, expectedEpoch: 0, Audit(AuditAction.PasswordReset, "anna@example.org", "example.org", at), None));
        Assert.False(await s.TryReplaceCredentialAsync(owner, "{ARGON2ID}stale", mustChange: false, expectedEpoch: 0, Audit(AuditAction.PasswordReset, "anna@example.org", "example.org", at), None));
        Assert.False(await s.TryReplaceCredentialAsync(new CredentialOwner(CredentialOwnerKind.Mailbox, "nobody@example.org"), "{ARGON2ID}x", false, 0, Audit(AuditAction.PasswordReset, "nobody@example.org", "example.org"), None));

        var credential = (await s.FindMailboxAsync("anna@example.org", None))!.Credential;
        Assert.Equal("{ARGON2ID}new", credential.PasswordHash);
        Assert.Equal(1, credential.Epoch);
        Assert.True(credential.MustChange);
        Assert.Equal(at, credential.ChangedAt);
        Assert.Single(await s.ListAuditAsync(new AuditQuery { Action = AuditAction.PasswordReset }, None));

        Assert.True(await s.TryReplaceCredentialAsync(owner, "{ARGON2ID}newer", mustChange: false, expectedEpoch: 1, Audit(AuditAction.PasswordChange, "anna@example.org", "example.org"), None));
        credential = (await s.FindMailboxAsync("anna@example.org", None))!.Credential;
        Assert.Equal(2, credential.Epoch);
        Assert.False(credential.MustChange);
    }

    [Fact]
    public async Task A_recovery_address_is_set_only_over_the_value_read_and_a_mailbox_update_leaves_it_alone()
    {
        await using var store = await CreateStoreAsync();
        var s = store.Store;
        var domain = await AddDomainAsync(s, "example.org");
        await s.TryAddMailboxAsync(NewMailbox("anna@example.org", domain), Audit(AuditAction.MailboxCreated, "anna@example.org", "example.org"), None);
        AuditEvent Changed() => Audit(AuditAction.RecoveryAddressChange, "anna@example.org", "example.org");

        Assert.True(await s.TrySetRecoveryAddressAsync("anna@example.org", expected: null, "anna@home.example", Changed(), None));
        Assert.False(await s.TrySetRecoveryAddressAsync("anna@example.org", expected: null, "mallory@evil.example", Changed(), None));
        Assert.False(await s.TrySetRecoveryAddressAsync("nobody@example.org", expected: null, "x@home.example", Changed(), None));
        var anna = (await s.FindMailboxAsync("anna@example.org", None))!;
        Assert.Equal("anna@home.example", anna.RecoveryAddress);
        Assert.Single(await s.ListAuditAsync(new AuditQuery { Action = AuditAction.RecoveryAddressChange }, None));

        // An update from a copy read before the recovery address was set must not clear it.
        var stale = NewMailbox("anna@example.org", domain);
        stale.Disabled = true;
        Assert.True(await s.UpdateMailboxAsync(stale, Audit(AuditAction.MailboxUpdated, "anna@example.org", "example.org"), None));
        Assert.Equal("anna@home.example", (await s.FindMailboxAsync("anna@example.org", None))!.RecoveryAddress);

        Assert.True(await s.TrySetRecoveryAddressAsync("anna@example.org", "anna@home.example", recoveryAddress: null, Changed(), None));
        Assert.Null((await s.FindMailboxAsync("anna@example.org", None))!.RecoveryAddress);
    }

    [Fact]
    public async Task Of_concurrent_credential_changes_one_wins_and_the_losers_write_nothing()
    {
        await using var store = await CreateStoreAsync();
        var s = store.Store;
        var domain = await AddDomainAsync(s, "example.org");
        await s.TryAddMailboxAsync(NewMailbox("anna@example.org", domain), Audit(AuditAction.MailboxCreated, "anna@example.org", "example.org"), None);
        var owner = new CredentialOwner(CredentialOwnerKind.Mailbox, "anna@example.org");

        var results = await Task.WhenAll(Enumerable.Range(0, 8).Select(i => Task.Run(async () =>
            (Index: i, Won: await s.TryReplaceCredentialAsync(owner, $"{{ARGON2ID}}hash-{i}", false, 0, Audit(AuditAction.PasswordChange, "anna@example.org", "example.org", detail: $"#{i}"), None)))));

        var winner = Assert.Single(results, r => r.Won);
        var credential = (await s.FindMailboxAsync("anna@example.org", None))!.Credential;
        Assert.Equal(1, credential.Epoch);
        Assert.Equal($"{{ARGON2ID}}hash-{winner.Index}", credential.PasswordHash);
        var audit = Assert.Single(await s.ListAuditAsync(new AuditQuery { Action = AuditAction.PasswordChange }, None));
        Assert.Equal($"#{winner.Index}", audit.Detail);
    }

    [Fact]
    public async Task Operator_credentials_take_the_same_compare_and_set()
    {
        await using var store = await CreateStoreAsync();
        var s = store.Store;
        await s.TryAddOperatorAsync(NewOperator("admin@localhost", OperatorRole.PlatformAdmin), Audit(AuditAction.OperatorCreated, "admin@localhost", null), None);
        var owner = new CredentialOwner(CredentialOwnerKind.Operator, "admin@localhost");

        Assert.True(await s.TryReplaceCredentialAsync(owner, "{ARGON2ID}chosen", false, 0, Audit(AuditAction.PasswordChange, "admin@localhost", null), None));
        Assert.False(await s.TryReplaceCredentialAsync(owner, "{ARGON2ID}late", false, 0, Audit(AuditAction.PasswordChange, "admin@localhost", null), None));

        var credential = (await s.FindOperatorAsync("admin@localhost", None))!.Credential;
        Assert.Equal("{ARGON2ID}chosen", credential.PasswordHash);
        Assert.Equal(1, credential.Epoch);
        Assert.Single(await s.ListAuditAsync(new AuditQuery { Target = "admin@localhost", Action = AuditAction.PasswordChange }, None));
    }

    [Fact]
    public async Task A_hash_upgrade_keeps_the_epoch_and_yields_to_a_newer_change()
    {
        await using var store = await CreateStoreAsync();
        var s = store.Store;
        var domain = await AddDomainAsync(s, "example.org");
        await s.TryAddMailboxAsync(NewMailbox("anna@example.org", domain), Audit(AuditAction.MailboxCreated, "anna@example.org", "example.org"), None);
        var owner = new CredentialOwner(CredentialOwnerKind.Mailbox, "anna@example.org");

        Assert.True(await s.TryUpgradeHashAsync(owner, "{ARGON2ID}stronger", expectedEpoch: 0, None));
        var credential = (await s.FindMailboxAsync("anna@example.org", None))!.Credential;
        Assert.Equal("{ARGON2ID}stronger", credential.PasswordHash);
        Assert.Equal(0, credential.Epoch);
        Assert.Equal(T0, credential.ChangedAt);

        await s.TryReplaceCredentialAsync(owner, "{ARGON2ID}changed", false, 0, Audit(AuditAction.PasswordChange, "anna@example.org", "example.org"), None);
        Assert.False(await s.TryUpgradeHashAsync(owner, "{ARGON2ID}rehash-of-old", expectedEpoch: 0, None));
        Assert.Equal("{ARGON2ID}changed", (await s.FindMailboxAsync("anna@example.org", None))!.Credential.PasswordHash);
    }

    [Fact]
    public async Task Audit_is_filtered_by_target_domains_and_action_newest_first_and_limited()
    {
        await using var store = await CreateStoreAsync();
        var s = store.Store;
        await s.AppendAuditAsync(Audit(AuditAction.SignIn, "anna@example.org", "example.org", T0.AddMinutes(1)), None);
        await s.AppendAuditAsync(Audit(AuditAction.PasswordChange, "anna@example.org", "example.org", T0.AddMinutes(3)), None);
        await s.AppendAuditAsync(Audit(AuditAction.SignIn, "bob@example.net", "example.net", T0.AddMinutes(2)), None);
        await s.AppendAuditAsync(Audit(AuditAction.SignIn, "carl@example.com", "example.com", T0.AddMinutes(4)), None);
        await s.AppendAuditAsync(Audit(AuditAction.OperatorCreated, "admin@localhost", null, T0), None);

        var all = await s.ListAuditAsync(new AuditQuery(), None);
        Assert.Equal([T0.AddMinutes(4), T0.AddMinutes(3), T0.AddMinutes(2), T0.AddMinutes(1), T0], all.Select(e => e.At));

        Assert.Equal(
            [AuditAction.PasswordChange, AuditAction.SignIn],
            (await s.ListAuditAsync(new AuditQuery { Target = "anna@example.org" }, None)).Select(e => e.Action));
        Assert.Equal(
            ["anna@example.org", "bob@example.net", "anna@example.org"],
            (await s.ListAuditAsync(new AuditQuery { Domains = ["example.org", "example.net"] }, None)).Select(e => e.Target));
        Assert.Empty(await s.ListAuditAsync(new AuditQuery { Domains = [] }, None));
        Assert.Equal(
            ["carl@example.com", "bob@example.net", "anna@example.org"],
            (await s.ListAuditAsync(new AuditQuery { Action = AuditAction.SignIn }, None)).Select(e => e.Target));
        Assert.Equal(
            ["bob@example.net", "anna@example.org"],
            (await s.ListAuditAsync(new AuditQuery { Action = AuditAction.SignIn, Domains = ["example.org", "example.net"] }, None)).Select(e => e.Target));
        Assert.Equal(2, (await s.ListAuditAsync(new AuditQuery { Limit = 2 }, None)).Count);
        Assert.Equal(
            ["bob@example.net"],
            (await s.ListAuditAsync(new AuditQuery { TargetContains = "example.ne" }, None)).Select(e => e.Target));
        Assert.Equal(
            ["carl@example.com", "anna@example.org", "anna@example.org"],
            (await s.ListAuditAsync(new AuditQuery { TargetContains = "a", Domains = ["example.org", "example.com"] }, None)).Select(e => e.Target));

        var stored = all[0];
        Assert.Equal(AuditOutcome.Success, stored.Outcome);
        Assert.Equal(Surface.AdminPanel, stored.Surface);
        Assert.Equal("192.0.2.7", stored.ClientAddress);
        Assert.Equal("admin@localhost", stored.Actor);
    }

    [Fact]
    public async Task Enums_are_stored_by_name()
    {
        await using var store = await CreateStoreAsync();
        await store.Store.AppendAuditAsync(Audit(AuditAction.PasswordReset, "anna@example.org", "example.org"), None);
        await store.Store.TryAddOperatorAsync(NewOperator("admin@localhost", OperatorRole.PlatformAdmin), Audit(AuditAction.OperatorCreated, "admin@localhost", null), None);

        await using var db = await store.Contexts.CreateDbContextAsync();
        Assert.Equal(
            "PasswordReset/AdminPanel/Success",
            await db.Database.SqlQueryRaw<string>("SELECT action || '/' || surface || '/' || outcome AS \"Value\" FROM audit_events WHERE target = 'anna@example.org'").SingleAsync());
        Assert.Equal("PlatformAdmin", await db.Database.SqlQueryRaw<string>("SELECT role AS \"Value\" FROM operators").SingleAsync());
    }

    [Fact]
    public async Task Times_come_back_as_utc()
    {
        await using var store = await CreateStoreAsync();
        var s = store.Store;
        var domain = await AddDomainAsync(s, "example.org");
        await s.TryAddMailboxAsync(NewMailbox("anna@example.org", domain), Audit(AuditAction.MailboxCreated, "anna@example.org", "example.org", T0.AddSeconds(1)), None);

        var mailbox = (await s.FindMailboxAsync("anna@example.org", None))!;
        var audit = Assert.Single(await s.ListAuditAsync(new AuditQuery { Target = "anna@example.org" }, None));
        var found = (await s.FindDomainAsync("example.org", None))!;

        Assert.All([mailbox.CreatedAt, mailbox.Credential.ChangedAt, audit.At, found.CreatedAt], t => Assert.Equal(DateTimeKind.Utc, t.Kind));
        Assert.Equal(T0, mailbox.CreatedAt);
        Assert.Equal(T0, mailbox.Credential.ChangedAt);
        Assert.Equal(T0.AddSeconds(1), audit.At);
    }

    [Fact]
    public async Task A_time_that_is_not_utc_is_refused()
    {
        await using var store = await CreateStoreAsync();
        var local = Audit(AuditAction.SignIn, "anna@example.org", "example.org", DateTime.SpecifyKind(T0, DateTimeKind.Unspecified));

        // PostgreSQL's timestamp with time zone refuses it; SQLite's converter does the same, so a missing
        // UtcDateTime shows up in a developer's SQLite run and not first in a cluster.
        var error = await Assert.ThrowsAsync<DbUpdateException>(() => store.Store.AppendAuditAsync(local, None));
        Assert.IsType<ArgumentException>(error.InnerException);
        Assert.Empty(await store.Store.ListAuditAsync(new AuditQuery(), None));
    }

    private static async Task<Domain> AddDomainAsync(IAccountStore store, string name)
    {
        Assert.True(await store.TryAddDomainAsync(NewDomain(name), Audit(AuditAction.DomainCreated, name, name), None));
        return (await store.FindDomainAsync(name, None))!;
    }

    private static Domain NewDomain(string name) => new() { Name = name, CreatedAt = T0 };

    private static Mailbox NewMailbox(string address, Domain domain) => new()
    {
        Address = address,
        DomainId = domain.Id,
        Credential = new Credential { PasswordHash = OldHash, ChangedAt = T0 },
        CreatedAt = T0,
    };

    private static Operator NewOperator(string email, OperatorRole role, params string[] domains) => new()
    {
        Email = email,
        Role = role,
        Domains = [.. domains],
        Credential = new Credential { PasswordHash = OldHash, MustChange = true, ChangedAt = T0 },
        CreatedAt = T0,
    };

    private static AuditEvent Audit(AuditAction action, string target, string? domain, DateTime? at = null, string? detail = null) => new()
    {
        At = at ?? T0,
        Action = action,
        Outcome = AuditOutcome.Success,
        Actor = "admin@localhost",
        Target = target,
        Domain = domain,
        Surface = Surface.AdminPanel,
        ClientAddress = "192.0.2.7",
        Detail = detail,
    };
}
