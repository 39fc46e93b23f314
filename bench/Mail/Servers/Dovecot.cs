using System.Globalization;

namespace Mailstead.Bench.Mail.Servers;

/// <summary>
/// A private Dovecot (IMAP and POP3 over implicit TLS) with its configuration, state and logs in the workspace: the
/// same Maildir, the passwd-file holding Mailstead's hash, Dovecot's defaults except where noted in the file.
/// </summary>
internal sealed class Dovecot : IMailServer
{
    private readonly ServerProcess _process;

    private Dovecot(ServerProcess process, int imaps, int pop3s)
    {
        _process = process;
        ImapsPort = imaps;
        Pop3sPort = pop3s;
    }

    public string Name => "Dovecot";

    public int? Pop3sPort { get; }

    public int? ImapsPort { get; }

    public int? SmtpPort => null;

    public static async Task<Dovecot> StartAsync(Workspace workspace, int idleConnections)
    {
        var root = workspace.Subdirectory("dovecot");
        var home = Path.Combine(root, "home");
        CopyDirectory(workspace.Maildir, Path.Combine(home, "Maildir"));
        // Mail is read and written as nobody, as a virtual-user setup runs it as one system user.
        await Command.RunAsync("chown", ["-R", "nobody:nogroup", home]).ConfigureAwait(false);

        var passwd = Path.Combine(root, "passwd");
        await File.WriteAllTextAsync(passwd, $"{Content.Recipient}:{workspace.PasswordHash}\n").ConfigureAwait(false);
        int imaps = Loopback.FreePort(), pop3s = Loopback.FreePort();
        var connections = idleConnections + 100;
        var configuration = Path.Combine(root, "dovecot.conf");
        await File.WriteAllTextAsync(configuration, string.Create(CultureInfo.InvariantCulture, $$"""
            base_dir = {{root}}/run
            state_dir = {{root}}/state
            log_path = {{root}}/dovecot.log
            protocols = imap pop3
            listen = 127.0.0.1
            default_internal_user = dovecot
            default_login_user = dovenull
            ssl = required
            ssl_cert = <{{workspace.CertificatePath}}
            ssl_key = <{{workspace.KeyPath}}
            # Dovecot's default, written out because the README compares it with Mailstead's fsync before every OK.
            mail_fsync = optimized
            mail_location = maildir:~/Maildir
            # Mailstead remembers a verified password (keyed by its epoch); without this cache every Dovecot login
            # would pay a full Argon2id verification in its single auth process, and we would measure only that.
            auth_cache_size = 10M
            auth_cache_ttl = 1 hour
            passdb {
              driver = passwd-file
              args = {{passwd}}
            }
            userdb {
              driver = static
              args = uid=nobody gid=nogroup home={{home}}
            }
            # Room for the idle measurement: every connection is the same user from the same address.
            default_client_limit = {{2 * connections}}
            default_vsz_limit = 1G
            protocol imap {
              mail_max_userip_connections = {{connections}}
            }
            service imap {
              process_limit = {{connections}}
            }
            # Dovecot's high-performance login mode: with TLS the login process stays as the TLS proxy of each
            # connection, and one process per connection (the default) would double the process count.
            service imap-login {
              inet_listener imap {
                port = 0
              }
              inet_listener imaps {
                port = {{imaps}}
                ssl = yes
              }
              service_count = 0
              process_min_avail = {{Environment.ProcessorCount}}
              client_limit = {{connections}}
            }
            service pop3-login {
              inet_listener pop3 {
                port = 0
              }
              inet_listener pop3s {
                port = {{pop3s}}
                ssl = yes
              }
              service_count = 0
              process_min_avail = {{Environment.ProcessorCount}}
            }

            """)).ConfigureAwait(false);

        var process = ServerProcess.Start("dovecot", ["-F", "-c", configuration], Path.Combine(root, "stdout.log"));
        var dovecot = new Dovecot(process, imaps, pop3s);
        try
        {
            await process.WaitForPortAsync(imaps, TimeSpan.FromSeconds(30)).ConfigureAwait(false);
            await process.WaitForPortAsync(pop3s, TimeSpan.FromSeconds(30)).ConfigureAwait(false);
            return dovecot;
        }
        catch
        {
            await dovecot.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    public Memory Memory() => Servers.Memory.OfTree(_process.Id);

    public int? DeliveredCount() => null;

    public ValueTask DisposeAsync() => _process.DisposeAsync();

    private static void CopyDirectory(string from, string to)
    {
        foreach (var directory in Directory.EnumerateDirectories(from, "*", SearchOption.AllDirectories).Prepend(from))
        {
            Directory.CreateDirectory(Path.Combine(to, Path.GetRelativePath(from, directory)));
        }

        foreach (var file in Directory.EnumerateFiles(from, "*", SearchOption.AllDirectories))
        {
            var target = Path.Combine(to, Path.GetRelativePath(from, file));
            File.Copy(file, target);
            File.SetLastWriteTimeUtc(target, File.GetLastWriteTimeUtc(file));
        }
    }
}
