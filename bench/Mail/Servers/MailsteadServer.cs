using System.Globalization;
using System.Reflection;

namespace Mailstead.Bench.Mail.Servers;

/// <summary>
/// The real <c>mailstead</c> executable (the Release build next to this bench), set up through its own CLI:
/// <c>domain add</c>, <c>mailbox add --password-stdin</c>, <c>mailbox import</c> of the shared Maildir, then
/// <c>serve</c> with POP3S, IMAPS and SMTP on free loopback ports and every other listener off.
/// </summary>
internal sealed class MailsteadServer : IMailServer
{
    private readonly ServerProcess _process;

    private MailsteadServer(ServerProcess process, int pop3s, int imaps, int smtp)
    {
        _process = process;
        Pop3sPort = pop3s;
        ImapsPort = imaps;
        SmtpPort = smtp;
    }

    public string Name => "Mailstead";

    public int? Pop3sPort { get; }

    public int? ImapsPort { get; }

    public int? SmtpPort { get; }

    /// <summary>mailstead.dll of the build configuration this bench was built in (the csproj records the path).</summary>
    public static string Executable =>
        typeof(MailsteadServer).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == "MailsteadDll").Value!;

    public static async Task<MailsteadServer> StartAsync(Workspace workspace, int idleConnections)
    {
        var root = workspace.Subdirectory("mailstead");
        string[] data = [$"--Mailstead:DataDirectory={Path.Combine(root, "data")}"];
        await Cli([.. data, "domain", "add", "bench.test"]).ConfigureAwait(false);
        await Cli([.. data, "mailbox", "add", Content.Recipient, "--password-stdin"], workspace.Password).ConfigureAwait(false);
        await Cli([.. data, "mailbox", "import", Content.Recipient, workspace.Maildir]).ConfigureAwait(false);

        int pop3s = Loopback.FreePort(), imaps = Loopback.FreePort(), smtp = Loopback.FreePort(), http = Loopback.FreePort();
        string[] serve =
        [
            Executable, "serve", .. data,
            $"--Mailstead:Tls:CertificatePath={workspace.CertificatePath}",
            $"--Mailstead:Tls:KeyPath={workspace.KeyPath}",
            // Kestrel would listen on localhost:5000 with no HTTP endpoint at all, so HTTP gets a free port too.
            $"--Mailstead:Endpoints:Http=127.0.0.1:{http}",
            "--Mailstead:Endpoints:Https=",
            "--Mailstead:Endpoints:Imap=",
            $"--Mailstead:Endpoints:Imaps=127.0.0.1:{imaps}",
            "--Mailstead:Endpoints:Pop3=",
            $"--Mailstead:Endpoints:Pop3s=127.0.0.1:{pop3s}",
            $"--Mailstead:Endpoints:Smtp=127.0.0.1:{smtp}",
            "--Mailstead:Endpoints:Submission=",
            "--Mailstead:Endpoints:Submissions=",
            // The idle measurement opens every connection from 127.0.0.1, as Dovecot's mail_max_userip_connections is raised.
            string.Create(CultureInfo.InvariantCulture, $"--Mailstead:Limits:MaxConnectionsPerAddress={idleConnections + 100}"),
        ];
        var process = ServerProcess.Start("dotnet", serve, Path.Combine(root, "serve.log"));
        var server = new MailsteadServer(process, pop3s, imaps, smtp);
        try
        {
            // The mail listeners bind while the host starts, before Kestrel: HTTP listening means they all are.
            await process.WaitForPortAsync(http, TimeSpan.FromSeconds(60)).ConfigureAwait(false);
            return server;
        }
        catch
        {
            await server.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    public Memory Memory() => Servers.Memory.OfTree(_process.Id);

    /// <summary>Mailstead writes the body and its row durably before it answers 250: accepted is delivered.</summary>
    public int? DeliveredCount() => null;

    public ValueTask DisposeAsync() => _process.DisposeAsync();

    private static Task<string> Cli(string[] arguments, string? input = null) => Command.RunAsync("dotnet", [Executable, .. arguments], input);
}
