using System.Net;
using Mailstead.Core.Accounts;
using Mailstead.Core.Credentials;
using Mailstead.Core.Sessions;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace Mailstead.Storage.Tests;

/// <summary>Web sessions over a real database, run once per provider by the derived classes.</summary>
public abstract class SessionServiceTests
{
    private const string Password = "violet kettle on the moor";
    private static readonly CancellationToken None = CancellationToken.None;
    private static readonly CredentialOwner Alice = new(CredentialOwnerKind.Mailbox, "alice@example.test");
    private readonly FakeTimeProvider _time = new(DateTimeOffset.UtcNow);

    protected abstract Task<TestStore> CreateStoreAsync();

    private async Task<(TestStore Store, SessionService Sessions)> PlatformAsync()
    {
        var store = await CreateStoreAsync();
        var accounts = store.Services.GetRequiredService<AccountService>();
        var cli = new Actor.System("cli");
        await accounts.AddDomainAsync(cli, "example.test", Surface.Cli, None);
        await accounts.AddMailboxAsync(cli, new NewMailbox(Alice.Login, null, Password), Surface.Cli, None);
        var sessions = new SessionService(
            store.Services.GetRequiredService<ISessionStore>(),
            store.Store,
            _time,
            Options.Create(new SessionOptions { IdleTimeout = TimeSpan.FromMinutes(30), AbsoluteTimeout = TimeSpan.FromHours(12) }));
        return (store, sessions);
    }

    [Fact]
    public async Task A_started_session_is_found_by_its_token_and_only_by_it()
    {
        var (store, sessions) = await PlatformAsync();
        await using var _ = store;

        var issued = await sessions.StartAsync(Alice, 1, Surface.UserPanel, IPAddress.Loopback, "Firefox", None);

        var active = await sessions.ValidateAsync(issued.Token, None);
        Assert.Equal(Alice, active?.Owner);
        Assert.Null(await sessions.ValidateAsync(issued.Token + "x", None));
        Assert.NotEqual(issued.Token, issued.Session.TokenHash);
        Assert.True(issued.Token.Length >= 43); // 256 random bits
    }

    [Fact]
    public async Task Housekeeping_deletes_sessions_idle_past_the_timeout_and_keeps_the_ones_in_use()
    {
        var (store, sessions) = await PlatformAsync();
        await using var _ = store;
        var forgotten = await sessions.StartAsync(Alice, 1, Surface.UserPanel, null, "old laptop", None);
        var used = await sessions.StartAsync(Alice, 1, Surface.Webmail, null, "phone", None);

        _time.Advance(TimeSpan.FromMinutes(20));
        Assert.NotNull(await sessions.ValidateAsync(used.Token, None));
        _time.Advance(TimeSpan.FromMinutes(15));

        Assert.Equal(1, await sessions.DeleteExpiredAsync(None));
        Assert.Equal([used.Session.Id], (await sessions.ListAsync(Alice, None)).Select(s => s.Id));
        Assert.Null(await sessions.ValidateAsync(forgotten.Token, None));
    }

    [Fact]
    public async Task A_session_dies_when_the_password_changes()
    {
        var (store, sessions) = await PlatformAsync();
        await using var _ = store;
        var issued = await sessions.StartAsync(Alice, 1, Surface.Webmail, null, null, None);
        var credentials = store.Services.GetRequiredService<CredentialService>();

        await credentials.ResetPasswordAsync(new PasswordResetRequest(new Actor.System("cli"), Alice.Login, "seven lanterns above the bay", false, Surface.Cli, null), None);

        Assert.Null(await sessions.ValidateAsync(issued.Token, None));
        Assert.Empty(await sessions.ListAsync(Alice, None));
    }

    [Fact]
    public async Task A_session_dies_after_the_idle_timeout_but_activity_keeps_it_alive_until_the_absolute_one()
    {
        var (store, sessions) = await PlatformAsync();
        await using var _ = store;
        var issued = await sessions.StartAsync(Alice, 1, Surface.UserPanel, null, null, None);

        for (var i = 0; i < 24; i++) // 11 h 36 min of activity
        {
            _time.Advance(TimeSpan.FromMinutes(29));
            Assert.NotNull(await sessions.ValidateAsync(issued.Token, None));
        }

        _time.Advance(TimeSpan.FromMinutes(29)); // 12 h 05 min after sign-in
        Assert.Null(await sessions.ValidateAsync(issued.Token, None));

        var idle = await sessions.StartAsync(Alice, 1, Surface.UserPanel, null, null, None);
        _time.Advance(TimeSpan.FromMinutes(31));
        Assert.Null(await sessions.ValidateAsync(idle.Token, None));
    }

    [Fact]
    public async Task Ending_other_sessions_keeps_the_current_one()
    {
        var (store, sessions) = await PlatformAsync();
        await using var _ = store;
        var current = await sessions.StartAsync(Alice, 1, Surface.UserPanel, null, null, None);
        var other = await sessions.StartAsync(Alice, 1, Surface.Webmail, null, null, None);

        Assert.Equal(1, await sessions.EndOthersAsync(Alice, current.Session.Id, None));

        Assert.NotNull(await sessions.ValidateAsync(current.Token, None));
        Assert.Null(await sessions.ValidateAsync(other.Token, None));
    }

    [Fact]
    public async Task Ending_sessions_from_the_credential_service_ends_every_web_session()
    {
        var (store, sessions) = await PlatformAsync();
        await using var _ = store;
        var issued = await sessions.StartAsync(Alice, 1, Surface.UserPanel, null, null, None);

        await store.Services.GetRequiredService<CredentialService>().EndSessionsAsync(new Actor.System("cli"), Alice.Login, Surface.Cli, null, None);

        Assert.Null(await sessions.ValidateAsync(issued.Token, None));
    }
}

public sealed class SqliteSessionServiceTests : SessionServiceTests
{
    protected override Task<TestStore> CreateStoreAsync() => SqliteAccountStoreTests.CreateSqliteStoreAsync();
}

[Collection(PostgresTests.Name)]
public sealed class PostgresSessionServiceTests(PostgresServer server) : SessionServiceTests
{
    protected override Task<TestStore> CreateStoreAsync() => PostgresAccountStoreTests.CreatePostgresStoreAsync(server);
}
