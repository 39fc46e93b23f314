using Mailstead.Core;
using Mailstead.Core.Accounts;
using Mailstead.Core.Credentials;
using Mailstead.Storage;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace Mailstead.Web.Tests.InProcess;

/// <summary>
/// The web app as <c>mailstead serve</c> wires it (Core + Storage + Web over SQLite in a temp directory), on a
/// TestServer, with a fake clock and cheap hashing. The executable's Program is a System.CommandLine CLI, so it is
/// not a WebApplicationFactory entry point; this builds the same pipeline directly.
/// </summary>
public sealed class WebHost : IAsyncDisposable
{
    public const string Domain = "example.test";

    private static readonly Actor Console = new Actor.System("test setup");

    private readonly WebApplication _app;
    private readonly string _dataDirectory;

    private WebHost(WebApplication app, string dataDirectory, FakeTimeProvider time)
    {
        _app = app;
        _dataDirectory = dataDirectory;
        Time = time;
    }

    public FakeTimeProvider Time { get; }

    public IServiceProvider Services => _app.Services;

    public static async Task<WebHost> StartAsync(IDictionary<string, string?>? settings = null)
    {
        var dataDirectory = Directory.CreateTempSubdirectory("mailstead-web-test-").FullName;
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions
        {
            EnvironmentName = "Production",
            ApplicationName = typeof(WebApplicationExtensions).Assembly.GetName().Name,
        });
        builder.WebHost.UseTestServer();
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Mailstead:DataDirectory"] = dataDirectory,
            ["Mailstead:Hashing:MemoryKiB"] = "1024",
            ["Mailstead:Hashing:Iterations"] = "1",
            // Every SQL command and page at Information made 47 000 lines of test output that buried a failure.
            ["Logging:LogLevel:Default"] = "Warning",
        });
        if (settings is not null)
        {
            builder.Configuration.AddInMemoryCollection(settings);
        }

        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        builder.Services.AddSingleton<TimeProvider>(time);
        builder.Services.AddDataProtection().UseEphemeralDataProtectionProvider();
        builder.Services.AddMailsteadCore(builder.Configuration).AddMailsteadStorage(builder.Configuration);
        builder.Services.AddMailsteadWeb();

        var app = builder.Build();
        await app.Services.MigrateMailsteadDatabaseAsync(CancellationToken.None);
        app.UseMailsteadWeb();
        await app.StartAsync();

        var host = new WebHost(app, dataDirectory, time);
        var accounts = host.Services.GetRequiredService<AccountService>();
        (await accounts.AddDomainAsync(Console, Domain, Surface.Cli, CancellationToken.None)).EnsureSucceeded();
        return host;
    }

    /// <summary>A browser-like client: keeps cookies, does not follow redirects (tests look at them).</summary>
    public WebClient Client(bool https = false) =>
        new(_app.GetTestServer().CreateHandler(), new Uri(https ? "https://mail.example.test" : "http://mail.example.test"));

    public async Task<string> AddMailboxAsync(string localPart, string password, bool mustChange = false)
    {
        var address = $"{localPart}@{Domain}";
        var accounts = Services.GetRequiredService<AccountService>();
        (await accounts.AddMailboxAsync(Console, new NewMailbox(address, null, password, mustChange), Surface.Cli, CancellationToken.None)).EnsureSucceeded();
        return address;
    }

    public async Task AddOperatorAsync(string email, string password)
    {
        var accounts = Services.GetRequiredService<AccountService>();
        (await accounts.AddOperatorAsync(Console, new NewOperator(email, OperatorRole.PlatformAdmin, [], password, MustChange: false), Surface.Cli, CancellationToken.None)).EnsureSucceeded();
    }

    public async Task DisableMailboxAsync(string address)
    {
        var accounts = Services.GetRequiredService<AccountService>();
        (await accounts.SetMailboxDisabledAsync(Console, address, disabled: true, Surface.Cli, client: null, CancellationToken.None)).EnsureSucceeded();
    }

    public async Task TurnOffSelfServiceAsync(string contact)
    {
        var accounts = Services.GetRequiredService<AccountService>();
        (await accounts.UpdateDomainAsync(Console, Domain, selfServiceEnabled: false, contact, new PasswordPolicyOverrides(), Surface.Cli, CancellationToken.None)).EnsureSucceeded();
    }

    /// <summary>Delivers a message into a folder of the mailbox (INBOX by default) as SMTP would; returns its UID.</summary>
    public async Task<long> DeliverAsync(string address, byte[] message, string? folder = null)
    {
        var store = Services.GetRequiredService<Mailstead.Core.Mail.MessageStore>();
        var delivered = await store.DeliverAsync(address, new Mailstead.Core.Mail.NewMessage(message) { Folder = folder }, CancellationToken.None);
        delivered.EnsureSucceeded();
        return delivered.Value!.Uid;
    }

    public async Task<string?> PasswordHashAsync(string address)
    {
        var store = Services.GetRequiredService<IAccountStore>();
        return (await store.FindMailboxAsync(address, CancellationToken.None))?.Credential.PasswordHash;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
        try
        {
            Directory.Delete(_dataDirectory, recursive: true);
        }
        catch (IOException)
        {
            // SQLite may hold the file a moment longer; temp is cleaned by the OS.
        }
    }
}

internal static class OutcomeExtensions
{
    public static void EnsureSucceeded<T>(this Outcome<T> outcome)
    {
        if (!outcome.Succeeded)
        {
            throw new InvalidOperationException(outcome.Problem.Message);
        }
    }
}
