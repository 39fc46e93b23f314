using System.Net.Http.Headers;
using Mailstead.Core;
using Mailstead.Core.Accounts;
using Mailstead.Storage;
using Mailstead.Web;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Mailstead.Api.Tests;

/// <summary>
/// The web app as <c>mailstead serve</c> wires it (Core, SQLite storage in a temp directory, Web), on a TestServer,
/// with a platform admin, an account administrator of <see cref="OwnDomain"/>, a second domain they do not
/// manage, and API keys made through the Core services.
/// </summary>
public sealed class ApiHost : IAsyncLifetime
{
    public const string OwnDomain = "example.org";

    public const string ForeignDomain = "other.example";

    private readonly string _directory = Path.Combine(Path.GetTempPath(), "mailstead-api-tests-" + Guid.NewGuid().ToString("N"));
    private WebApplication? _app;

    public IServiceProvider Services => App.Services;

    public AccountService Accounts => Services.GetRequiredService<AccountService>();

    public Operator PlatformAdmin { get; private set; } = null!;

    public Operator AccountAdmin { get; private set; } = null!;

    public string PlatformAdminKey { get; private set; } = "";

    public string AccountAdminKey { get; private set; } = "";

    public string RevokedKey { get; private set; } = "";

    private WebApplication App => _app ?? throw new InvalidOperationException("The host has not started.");

    public static Actor System => new Actor.System("tests");

    public async Task InitializeAsync()
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions
        {
            ApplicationName = typeof(WebApplicationExtensions).Assembly.GetName().Name,
            EnvironmentName = "Production",
        });
        builder.WebHost.UseTestServer();
        builder.Logging.ClearProviders();
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Mailstead:DataDirectory"] = _directory,
            ["Mailstead:Hashing:MemoryKiB"] = "1024",
            ["Mailstead:Hashing:Iterations"] = "1",
        });
        builder.Services.AddMailsteadCore(builder.Configuration);
        builder.Services.AddMailsteadStorage(builder.Configuration);
        builder.Services.AddMailsteadWeb();
        _app = builder.Build();
        _app.UseMailsteadWeb();
        await _app.Services.MigrateMailsteadDatabaseAsync(CancellationToken.None);
        await _app.StartAsync();

        Check(await Accounts.AddDomainAsync(System, OwnDomain, Surface.Cli, CancellationToken.None));
        Check(await Accounts.AddDomainAsync(System, ForeignDomain, Surface.Cli, CancellationToken.None));
        PlatformAdmin = Check(await Accounts.AddOperatorAsync(System, new NewOperator("root@example.net", OperatorRole.PlatformAdmin, [], null, false), Surface.Cli, CancellationToken.None)).Account;
        AccountAdmin = Check(await Accounts.AddOperatorAsync(System, new NewOperator("owner@example.org", OperatorRole.AccountAdmin, [OwnDomain], null, false), Surface.Cli, CancellationToken.None)).Account;

        var keys = Services.GetRequiredService<ApiKeyService>();
        PlatformAdminKey = Check(await keys.CreateAsync(new Actor.OperatorActor(PlatformAdmin), "tests", CancellationToken.None)).Secret;
        AccountAdminKey = Check(await keys.CreateAsync(new Actor.OperatorActor(AccountAdmin), "tests", CancellationToken.None)).Secret;
        var revoked = Check(await keys.CreateAsync(new Actor.OperatorActor(PlatformAdmin), "revoked", CancellationToken.None));
        Assert.True(await keys.RevokeAsync(PlatformAdmin, revoked.Key.Id, CancellationToken.None));
        RevokedKey = revoked.Secret;
    }

    public HttpClient Client(string? key = null)
    {
        var client = App.GetTestClient();
        if (key is not null)
        {
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);
        }

        return client;
    }

    public HttpClient AsPlatformAdmin() => Client(PlatformAdminKey);

    public HttpClient AsAccountAdmin() => Client(AccountAdminKey);

    /// <summary>A new mailbox with a known password, made through Core.</summary>
    public async Task<string> AddMailboxAsync(string domain, string password)
    {
        var address = "user-" + Guid.NewGuid().ToString("N")[..8] + "@" + domain;
        Check(await Accounts.AddMailboxAsync(System, new NewMailbox(address, null, password), Surface.Cli, CancellationToken.None));
        return address;
    }

    public static T Check<T>(Outcome<T> outcome)
    {
        Assert.True(outcome.Succeeded, outcome.Problem?.Message);
        return outcome.Value!;
    }

    public async Task DisposeAsync()
    {
        if (_app is not null)
        {
            await _app.DisposeAsync();
        }

        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        if (Directory.Exists(_directory))
        {
            Directory.Delete(_directory, recursive: true);
        }
    }
}
