using Mailstead.Control;
using Mailstead.Core;
using Mailstead.Core.Accounts;
using Mailstead.Core.Mail;
using Mailstead.Protocols;
using Mailstead.Storage;
using Mailstead.Web;
using Microsoft.AspNetCore.DataProtection;

namespace Mailstead.Hosting;

/// <summary><c>mailstead serve</c>: the listeners, over the database migrated at start.</summary>
internal static class Server
{
    public const string HttpEndpointKey = "Mailstead:Endpoints:Http";
    public const string HttpsEndpointKey = "Mailstead:Endpoints:Https";
    public const string AdminEmailKey = "Mailstead:Setup:AdminEmail";

    public static async Task<int> RunAsync(string[] configurationArgs, CancellationToken cancellationToken)
    {
        try
        {
            return await ServeAsync(configurationArgs, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is InvalidOperationException or IOException)
        {
            // Start-up problems a person can fix (a port in use, a second server on the data directory): say what, not a stack trace.
            await Console.Error.WriteLineAsync($"mailstead: {ex.Message}").ConfigureAwait(false);
            return 1;
        }
    }

    private static async Task<int> ServeAsync(string[] configurationArgs, CancellationToken cancellationToken)
    {
        // appsettings.json is read once, not watched: the watch covers the working directory and everything below it,
        // which by default holds the data directory, so every message written woke the watcher's thread.
        var builder = WebApplication.CreateBuilder([.. configurationArgs, "--hostBuilder:reloadConfigOnChange=false"]);
        // Say where we listen and what goes wrong, not every SQL statement and request (configuration can turn these up).
        builder.Logging.AddFilter("Microsoft.EntityFrameworkCore", LogLevel.Warning);
        builder.Logging.AddFilter("Microsoft.AspNetCore", LogLevel.Warning);
        builder.Services.AddMailstead(builder.Configuration);
        builder.Services.AddHostedService<ControlSocketServer>();
        builder.Services.AddHostedService<ClusterEventsService>();
        builder.Services.AddHostedService<Housekeeping>();
        builder.Services.AddHostedService<SummaryRefresher>();
        builder.Services.AddMailsteadProtocols(builder.Configuration);
        builder.Services.AddHostedService<MailListeners>();
        builder.Services.AddMailsteadWeb();
        // Serve the CSS, JS and icons of Mailstead.Web from the build output too (not only after publish), in every environment.
        builder.WebHost.UseStaticWebAssets();
        // Antiforgery tokens and other protected data must survive restarts: keep the keys with the rest of the data.
        builder.Services.AddDataProtection()
            .SetApplicationName("Mailstead")
            .PersistKeysToFileSystem(new DirectoryInfo(Path.Combine(DataDirectory.Resolve(builder.Configuration), "keys")));

        var http = ListenAddress.Parse(builder.Configuration[HttpEndpointKey] ?? "http://127.0.0.1:8080", HttpEndpointKey);
        var https = ListenAddress.Parse(builder.Configuration[HttpsEndpointKey] ?? "https://127.0.0.1:8443", HttpsEndpointKey);
        using var startupLog = LoggerFactory.Create(logging => logging.AddConsole());
        // HTTPS and the mail protocols' TLS (STARTTLS, implicit TLS) present the same certificate.
        var certificate = TlsCertificate.Load(builder.Configuration, startupLog.CreateLogger("Mailstead"));
        builder.Services.AddSingleton(certificate);
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            if (http is not null)
            {
                kestrel.Listen(http);
            }

            if (https is not null)
            {
                kestrel.Listen(https, listen => listen.UseHttps(certificate, tls => tls.SslProtocols = System.Security.Authentication.SslProtocols.Tls12 | System.Security.Authentication.SslProtocols.Tls13));
            }
        });

        await using var app = builder.Build();
        await app.Services.MigrateMailsteadDatabaseAsync(cancellationToken).ConfigureAwait(false);
        await AnnounceFirstAdminAsync(app, cancellationToken).ConfigureAwait(false);
        await WarnWithoutPostmasterAsync(app, cancellationToken).ConfigureAwait(false);

        app.MapGet("/healthz", () => Results.Text("ok"));
        app.UseMailsteadWeb();

        app.Lifetime.ApplicationStarted.Register(() =>
        {
            var log = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("Mailstead");
            log.LogInformation("Data directory: {DataDirectory}", DataDirectory.Resolve(app.Configuration));
            if (http is not null)
            {
                log.LogInformation("HTTP listening on http://{Endpoint}", http);
            }

            if (https is not null)
            {
                log.LogInformation("HTTPS listening on https://{Endpoint}", https);
            }
        });

        await app.RunAsync(cancellationToken).ConfigureAwait(false);
        return 0;
    }

    // RFC 5321 §4.5.1: postmaster@ every domain must reach someone; a server that cannot promise it says so at start.
    private static async Task WarnWithoutPostmasterAsync(WebApplication app, CancellationToken cancellationToken)
    {
        const string Key = MailOptions.Section + ":" + nameof(MailOptions.Postmaster);
        if (await app.Services.GetRequiredService<MailSubmission>().PostmasterAsync(cancellationToken).ConfigureAwait(false) is not null
            || (await app.Services.GetRequiredService<IAccountStore>().ListDomainsAsync(cancellationToken).ConfigureAwait(false)).Count == 0)
        {
            // Set, or nothing hosted yet for it to matter to.
            return;
        }

        var log = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("Mailstead");
        if (app.Configuration[Key] is { Length: > 0 } configured)
        {
            log.LogWarning("{Key} is {Address}, which is not a mailbox here: mail to postmaster is refused until that mailbox exists.", Key, configured);
        }
        else
        {
            log.LogWarning("{Key} is not set: mail to postmaster@ a domain without a postmaster mailbox is refused. Set it to the address of the mailbox that should receive it.", Key);
        }
    }

    private static async Task AnnounceFirstAdminAsync(WebApplication app, CancellationToken cancellationToken)
    {
        var email = app.Configuration[AdminEmailKey] is { Length: > 0 } configured ? configured : "admin@localhost";
        var created = await app.Services.GetRequiredService<AccountService>().EnsureFirstAdminAsync(email, cancellationToken).ConfigureAwait(false);
        if (created is null)
        {
            return;
        }

        // Printed once, to the console only: never to a log file or the database.
        await Console.Out.WriteLineAsync($"""

            First start: created the platform administrator.
              Email:    {created.Account.Email}
              Password: {created.GeneratedPassword}
            This password is shown only now and must be changed at the first sign-in.

            """).ConfigureAwait(false);
    }
}
