using System.Net;
using System.Security.Cryptography;
using System.Text;
using Mailstead.Core.Accounts;
using Mailstead.Core.Audit;
using Mailstead.Core.Credentials;
using Microsoft.Extensions.DependencyInjection;

namespace Mailstead.Storage.Tests;

/// <summary>The password promise end to end over a real database, run once per provider by the derived classes.</summary>
public abstract class CredentialServiceTests
{
    private const string AlicePassword = "violet kettle on the moor";
    private const string NewPassword = "seven lanterns above the bay";
    private static readonly IPAddress Client = IPAddress.Parse("198.51.100.7");
    private static readonly CancellationToken None = CancellationToken.None;
    private static readonly Actor Cli = new Actor.System("cli");
    private static readonly CredentialOwner Alice = new(CredentialOwnerKind.Mailbox, "alice@example.test");

    protected abstract Task<TestStore> CreateStoreAsync();

    private static async Task<(TestStore Store, CredentialService Credentials, AccountService Accounts)> PlatformAsync(TestStore store)
    {
        var accounts = store.Services.GetRequiredService<AccountService>();
        Assert.True((await accounts.AddDomainAsync(Cli, "example.test", Surface.Cli, None)).Succeeded);
        Assert.True((await accounts.AddDomainAsync(Cli, "other.test", Surface.Cli, None)).Succeeded);
        Assert.True((await accounts.AddMailboxAsync(Cli, new NewMailbox("alice@example.test", "Alice Liddell", AlicePassword), Surface.Cli, None)).Succeeded);
        return (store, store.Services.GetRequiredService<CredentialService>(), accounts);
    }

    private static Task<Outcome<AuthenticatedPrincipal>> SignInAsync(CredentialService credentials, string login, string password, Surface surface = Surface.Imap) =>
        credentials.AuthenticateAsync(new LoginAttempt(login, password, surface, Client), None);

    private static async Task<Actor> AccountAdminOfAsync(TestStore store, AccountService accounts, string domain)
    {
        var created = await accounts.AddOperatorAsync(Cli, new NewOperator($"owner@{domain}", OperatorRole.AccountAdmin, [domain], Password: null, MustChange: false), Surface.Cli, None);
        Assert.True(created.Succeeded);
        return new Actor.OperatorActor((await store.Store.FindOperatorAsync($"owner@{domain}", None))!);
    }

    private static (ProblemKind?, string?) Answer<T>(Outcome<T> outcome) => (outcome.Problem?.Kind, outcome.Problem?.Message);

    [Fact]
    public async Task The_right_password_signs_in_under_the_first_epoch()
    {
        await using var store = await CreateStoreAsync();
        var (_, credentials, _) = await PlatformAsync(store);

        var signedIn = await SignInAsync(credentials, "Alice@Example.TEST", AlicePassword);

        Assert.True(signedIn.Succeeded);
        Assert.Equal(new AuthenticatedPrincipal(Alice, 1, MustChange: false), signedIn.Value);
    }

    [Fact]
    public async Task A_wrong_password_an_unknown_or_malformed_address_and_a_disabled_mailbox_get_the_same_answer_and_are_audited()
    {
        await using var store = await CreateStoreAsync();
        var (_, credentials, _) = await PlatformAsync(store);

        var wrong = await SignInAsync(credentials, "alice@example.test", "not her password at all");
        var unknown = await SignInAsync(credentials, "nobody@example.test", AlicePassword);
        var malformed = await SignInAsync(credentials, "nobody", AlicePassword);
        var hash = await store.Services.GetRequiredService<Mailstead.Core.Credentials.Hashing.PasswordHasher>().HashAsync(AlicePassword, None);
        await store.Store.TryAddMailboxAsync(
            new Mailbox
            {
                Address = "carol@example.test",
                DomainId = (await store.Store.FindDomainAsync("example.test", None))!.Id,
                Disabled = true,
                Credential = new Credential { PasswordHash = hash, Epoch = 1, ChangedAt = DateTime.UtcNow },
                CreatedAt = DateTime.UtcNow,
            },
            new AuditEvent { Actor = "cli", At = DateTime.UtcNow, Action = AuditAction.MailboxCreated, Target = "carol@example.test" },
            None);
        var disabled = await SignInAsync(credentials, "carol@example.test", AlicePassword);

        Assert.Equal(Answer(wrong), Answer(unknown));
        Assert.Equal(Answer(wrong), Answer(malformed));
        Assert.Equal(Answer(wrong), Answer(disabled));
        var failures = await store.Store.ListAuditAsync(new AuditQuery { Action = AuditAction.SignIn }, None);
        Assert.Equal(4, failures.Count(e => e.Outcome == AuditOutcome.Failure));
        Assert.Contains(failures, e => e.Target == "carol@example.test" && e.Detail == "disabled");
        Assert.Contains(failures, e => e.Target == "alice@example.test" && e.Detail == "wrong password" && e.ClientAddress == "198.51.100.7" && e.Surface == Surface.Imap);
        Assert.Contains(failures, e => e.Target == "nobody@example.test" && e.Detail == "unknown login");
    }

    [Fact]
    public async Task Changing_the_password_moves_the_epoch_publishes_a_revocation_and_the_old_password_stops_working_at_once()
    {
        await using var store = await CreateStoreAsync();
        var (_, credentials, _) = await PlatformAsync(store);
        var revocations = new List<Revocation>();
        using var listening = store.Services.GetRequiredService<RevocationHub>().Subscribe(revocations.Add);
        Assert.True((await SignInAsync(credentials, "alice@example.test", AlicePassword)).Succeeded); // now in the verified-credential cache

        var changed = await credentials.ChangeOwnPasswordAsync(new PasswordChangeRequest(Alice, AlicePassword, NewPassword, NewPassword, Surface.UserPanel, Client), None);

        Assert.True(changed.Succeeded);
        Assert.Equal(2, changed.Value.Epoch);
        Assert.Equal([new Revocation(Alice, 2, RevocationReason.PasswordChanged)], revocations);
        Assert.False((await SignInAsync(credentials, "alice@example.test", AlicePassword)).Succeeded);
        Assert.Equal(2, (await SignInAsync(credentials, "alice@example.test", NewPassword)).Value!.Epoch);

        var audit = await store.Store.ListAuditAsync(new AuditQuery { Target = "alice@example.test", Action = AuditAction.PasswordChange }, None);
        var entry = Assert.Single(audit);
        Assert.Equal((AuditOutcome.Success, "alice@example.test", Surface.UserPanel, "198.51.100.7"), (entry.Outcome, entry.Actor, entry.Surface, entry.ClientAddress));
        Assert.DoesNotContain(await store.Store.ListAuditAsync(new AuditQuery(), None), e => $"{e.Detail}{e.Actor}{e.Target}".Contains("lantern", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_wrong_current_password_changes_nothing_is_audited_and_counts_as_a_failed_sign_in()
    {
        await using var store = await CreateStoreAsync();
        var (_, credentials, _) = await PlatformAsync(store);

        var refused = await credentials.ChangeOwnPasswordAsync(new PasswordChangeRequest(Alice, "a guess at her password", NewPassword, NewPassword, Surface.Webmail, Client), None);

        Assert.False(refused.Succeeded);
        Assert.Equal("The current password is not correct.", refused.Problem.Fields[PasswordFields.Current]);
        Assert.True((await SignInAsync(credentials, "alice@example.test", AlicePassword)).Succeeded);
        Assert.Contains(await store.Store.ListAuditAsync(new AuditQuery { Action = AuditAction.PasswordChange }, None), e => e.Outcome == AuditOutcome.Failure);

        var throttle = store.Services.GetRequiredService<LoginThrottle>();
        for (var i = 0; i < 10; i++) // the successful sign-in above cleared the count
        {
            throttle.RecordFailure("alice@example.test", Client);
        }

        var blocked = await credentials.ChangeOwnPasswordAsync(new PasswordChangeRequest(Alice, AlicePassword, NewPassword, NewPassword, Surface.Webmail, Client), None);
        Assert.Equal(ProblemKind.Throttled, blocked.Problem?.Kind);
    }

    [Fact]
    public async Task A_new_password_that_fails_the_policy_or_its_confirmation_is_refused_field_by_field()
    {
        await using var store = await CreateStoreAsync();
        var (_, credentials, _) = await PlatformAsync(store);

        var refused = await credentials.ChangeOwnPasswordAsync(new PasswordChangeRequest(Alice, AlicePassword, "alice2024", "alice2025", Surface.UserPanel, Client), None);

        Assert.Equal(ProblemKind.PolicyFailed, refused.Problem?.Kind);
        Assert.Contains(PasswordFields.New, refused.Problem!.Fields.Keys);
        Assert.Contains(PasswordFields.Confirmation, refused.Problem.Fields.Keys);
        Assert.Contains(refused.Problem.Policy!.Unmet, c => c.Id == "length-min");
        Assert.Contains(refused.Problem.Policy.Unmet, c => c.Id == "not-personal");

        var same = await credentials.ChangeOwnPasswordAsync(new PasswordChangeRequest(Alice, AlicePassword, AlicePassword, AlicePassword, Surface.UserPanel, Client), None);
        Assert.Contains(same.Problem!.Policy!.Unmet, c => c.Id == "not-current");
    }

    [Fact]
    public async Task Where_self_service_is_off_the_user_is_told_whom_to_ask()
    {
        await using var store = await CreateStoreAsync();
        var (_, credentials, _) = await PlatformAsync(store);
        var domain = (await store.Store.FindDomainAsync("example.test", None))!;
        domain.SelfServiceEnabled = false;
        domain.AdminContact = "IT desk, it@example.test";
        await store.Store.UpdateDomainAsync(domain, new AuditEvent { Actor = "cli", At = DateTime.UtcNow, Action = AuditAction.DomainUpdated, Target = "example.test" }, None);

        var refused = await credentials.ChangeOwnPasswordAsync(new PasswordChangeRequest(Alice, AlicePassword, NewPassword, NewPassword, Surface.Webmail, Client), None);

        Assert.Equal(ProblemKind.SelfServiceDisabled, refused.Problem?.Kind);
        Assert.Equal("IT desk, it@example.test", refused.Problem!.AdminContact);
    }

    [Fact]
    public async Task An_operator_reset_needs_no_current_password_and_can_require_a_change_at_next_sign_in()
    {
        await using var store = await CreateStoreAsync();
        var (_, credentials, accounts) = await PlatformAsync(store);
        var owner = await AccountAdminOfAsync(store, accounts, "example.test");

        var reset = await credentials.ResetPasswordAsync(new PasswordResetRequest(owner, "alice@example.test", NewPassword, MustChange: true, Surface.AdminPanel, Client), None);

        Assert.True(reset.Succeeded);
        Assert.Null(reset.Value.GeneratedPassword);
        var signedIn = await SignInAsync(credentials, "alice@example.test", NewPassword, Surface.Webmail);
        Assert.Equal(new AuthenticatedPrincipal(Alice, 2, MustChange: true), signedIn.Value);
        var audit = Assert.Single(await store.Store.ListAuditAsync(new AuditQuery { Action = AuditAction.PasswordReset }, None));
        Assert.Equal("owner@example.test", audit.Actor);
    }

    [Fact]
    public async Task An_account_administrator_of_one_domain_cannot_reset_a_mailbox_of_another_and_the_attempt_is_audited()
    {
        await using var store = await CreateStoreAsync();
        var (_, credentials, accounts) = await PlatformAsync(store);
        var stranger = await AccountAdminOfAsync(store, accounts, "other.test");
        var revocations = new List<Revocation>();
        using var listening = store.Services.GetRequiredService<RevocationHub>().Subscribe(revocations.Add);

        var denied = await credentials.ResetPasswordAsync(new PasswordResetRequest(stranger, "alice@example.test", NewPassword, MustChange: false, Surface.Api, Client), None);
        var deniedUnknown = await credentials.ResetPasswordAsync(new PasswordResetRequest(stranger, "ghost@example.test", NewPassword, MustChange: false, Surface.Api, Client), None);

        Assert.Equal(ProblemKind.Denied, denied.Problem?.Kind);
        Assert.Equal(Answer(denied), Answer(deniedUnknown));
        Assert.Empty(revocations);
        Assert.True((await SignInAsync(credentials, "alice@example.test", AlicePassword)).Succeeded);
        var audit = await store.Store.ListAuditAsync(new AuditQuery { Action = AuditAction.PasswordReset }, None);
        Assert.Equal(2, audit.Count(e => e.Outcome == AuditOutcome.Denied && e.Actor == "owner@other.test"));
        Assert.Contains(audit, e => e.Target == "alice@example.test" && e.Detail == "no permission over example.test");
    }

    [Fact]
    public async Task A_reset_without_a_password_generates_one_that_signs_in()
    {
        await using var store = await CreateStoreAsync();
        var (_, credentials, _) = await PlatformAsync(store);

        var reset = await credentials.ResetPasswordAsync(new PasswordResetRequest(Cli, "alice@example.test", NewPassword: null, MustChange: false, Surface.Cli, Client: null), None);

        Assert.True(reset.Succeeded);
        Assert.True((await SignInAsync(credentials, "alice@example.test", reset.Value.GeneratedPassword!)).Succeeded);
    }

    [Fact]
    public async Task A_reset_to_the_current_password_is_refused()
    {
        await using var store = await CreateStoreAsync();
        var (_, credentials, _) = await PlatformAsync(store);

        var refused = await credentials.ResetPasswordAsync(new PasswordResetRequest(Cli, "alice@example.test", AlicePassword, MustChange: false, Surface.Cli, Client: null), None);

        Assert.Contains(refused.Problem!.Policy!.Unmet, c => c.Id == "not-current");
    }

    [Fact]
    public async Task An_imported_dovecot_hash_signs_in_and_is_upgraded_to_argon2id_without_ending_sessions()
    {
        await using var store = await CreateStoreAsync();
        var (_, credentials, _) = await PlatformAsync(store);
        var salt = "pepper42"u8.ToArray();
        var digest = SHA512.HashData([.. Encoding.UTF8.GetBytes("imported secret phrase"), .. salt]);
        var domain = (await store.Store.FindDomainAsync("example.test", None))!;
        await store.Store.TryAddMailboxAsync(
            new Mailbox
            {
                Address = "bob@example.test",
                DomainId = domain.Id,
                Credential = new Credential { PasswordHash = "{SSHA512}" + Convert.ToBase64String([.. digest, .. salt]), Epoch = 1, ChangedAt = DateTime.UtcNow },
                CreatedAt = DateTime.UtcNow,
            },
            new AuditEvent { Actor = "import", At = DateTime.UtcNow, Action = AuditAction.MailboxCreated, Target = "bob@example.test" },
            None);

        Assert.True((await SignInAsync(credentials, "bob@example.test", "imported secret phrase")).Succeeded);

        var bob = (await store.Store.FindMailboxAsync("bob@example.test", None))!;
        Assert.StartsWith("{ARGON2ID}$argon2id$", bob.Credential.PasswordHash, StringComparison.Ordinal);
        Assert.Equal(1, bob.Credential.Epoch);
        Assert.Single(await store.Store.ListAuditAsync(new AuditQuery { Action = AuditAction.PasswordRehash }, None));
        Assert.True((await SignInAsync(credentials, "bob@example.test", "imported secret phrase")).Succeeded);
    }

    [Fact]
    public async Task Ending_sessions_publishes_a_revocation_without_touching_the_password()
    {
        await using var store = await CreateStoreAsync();
        var (_, credentials, accounts) = await PlatformAsync(store);
        var revocations = new List<Revocation>();
        using var listening = store.Services.GetRequiredService<RevocationHub>().Subscribe(revocations.Add);
        var stranger = await AccountAdminOfAsync(store, accounts, "other.test");

        Assert.Equal(ProblemKind.Denied, (await credentials.EndSessionsAsync(stranger, "alice@example.test", Surface.AdminPanel, Client, None)).Problem?.Kind);
        Assert.True((await credentials.EndSessionsAsync(new Actor.MailboxUser("alice@example.test"), "alice@example.test", Surface.UserPanel, Client, None)).Succeeded);

        Assert.Equal([new Revocation(Alice, 1, RevocationReason.SessionsEnded)], revocations);
        Assert.True((await SignInAsync(credentials, "alice@example.test", AlicePassword)).Succeeded);
    }

    [Fact]
    public async Task The_first_start_creates_one_platform_administrator_who_must_change_the_password()
    {
        await using var store = await CreateStoreAsync();
        var accounts = store.Services.GetRequiredService<AccountService>();
        var credentials = store.Services.GetRequiredService<CredentialService>();

        var first = await accounts.EnsureFirstAdminAsync("admin@localhost", None);
        var second = await accounts.EnsureFirstAdminAsync("admin@localhost", None);

        Assert.NotNull(first);
        Assert.Null(second);
        var signedIn = await SignInAsync(credentials, "admin@localhost", first.GeneratedPassword!, Surface.AdminPanel);
        Assert.True(signedIn.Value!.MustChange);
        Assert.False((await SignInAsync(credentials, "admin@localhost", first.GeneratedPassword!, Surface.Imap)).Succeeded); // operators are not mailboxes
    }
}

public sealed class SqliteCredentialServiceTests : CredentialServiceTests
{
    protected override Task<TestStore> CreateStoreAsync() => SqliteAccountStoreTests.CreateSqliteStoreAsync();
}

[Collection(PostgresTests.Name)]
public sealed class PostgresCredentialServiceTests(PostgresServer server) : CredentialServiceTests
{
    protected override Task<TestStore> CreateStoreAsync() => PostgresAccountStoreTests.CreatePostgresStoreAsync(server);
}
