using System.Globalization;

namespace Mailstead.Bench.Mail.Servers;

/// <summary>
/// A private Postfix instance (its own main.cf, master.cf, queue and log in the workspace) receiving on a loopback
/// port for the bench domain and delivering with its virtual(8) agent into a Maildir, the simplest local delivery
/// with no second program in the path. Postfix answers 250 once the message is in its queue (fsynced), then delivers.
/// </summary>
internal sealed class Postfix : IMailServer
{
    private readonly ServerProcess _process;
    private readonly string _newMail;

    private Postfix(ServerProcess process, int smtp, string newMail)
    {
        _process = process;
        SmtpPort = smtp;
        _newMail = newMail;
    }

    public string Name => "Postfix";

    public int? Pop3sPort => null;

    public int? ImapsPort => null;

    public int? SmtpPort { get; }

    public static async Task<Postfix> StartAsync(Workspace workspace)
    {
        var root = workspace.Subdirectory("postfix");
        var configuration = Directory.CreateDirectory(Path.Combine(root, "conf")).FullName;
        var mail = Directory.CreateDirectory(Path.Combine(root, "mail")).FullName;
        var data = Directory.CreateDirectory(Path.Combine(root, "data")).FullName;
        // postfix-script creates the queue's subdirectories, but not the queue directory itself.
        var queue = Directory.CreateDirectory(Path.Combine(root, "queue")).FullName;
        await Command.RunAsync("chown", ["nobody:nogroup", mail]).ConfigureAwait(false);
        await Command.RunAsync("chown", ["postfix", data]).ConfigureAwait(false);
        var port = Loopback.FreePort();

        await File.WriteAllTextAsync(Path.Combine(configuration, "vmailbox"), $"{Content.Recipient} bench/Maildir/\n").ConfigureAwait(false);
        await File.WriteAllTextAsync(Path.Combine(configuration, "main.cf"), $"""
            compatibility_level = 3.6
            queue_directory = {queue}
            data_directory = {data}
            command_directory = /usr/sbin
            daemon_directory = /usr/lib/postfix/sbin
            meta_directory = /etc/postfix
            shlib_directory = /usr/lib/postfix
            mail_owner = postfix
            setgid_group = postdrop
            inet_interfaces = 127.0.0.1
            inet_protocols = ipv4
            myhostname = postfix.bench.test
            mydestination =
            mynetworks = 127.0.0.0/8
            alias_maps =
            alias_database =
            local_recipient_maps =
            biff = no
            virtual_mailbox_domains = bench.test
            virtual_mailbox_base = {mail}
            virtual_mailbox_maps = texthash:{configuration}/vmailbox
            virtual_uid_maps = static:65534
            virtual_gid_maps = static:65534
            virtual_minimum_uid = 100
            # There is no syslog here: postlogd writes the log into the workspace.
            maillog_file = {root}/postfix.log
            maillog_file_prefixes = {root}

            """).ConfigureAwait(false);
        // Debian's master.cf without chroot (the queue is in the workspace, not /var/spool/postfix) and without
        // the services the bench does not use (submission, local, pipe transports).
        await File.WriteAllTextAsync(Path.Combine(configuration, "master.cf"), string.Create(CultureInfo.InvariantCulture, $"""
            127.0.0.1:{port} inet n - n - - smtpd
            pickup    unix  n - n 60 1 pickup
            cleanup   unix  n - n -  0 cleanup
            qmgr      unix  n - n 300 1 qmgr
            rewrite   unix  - - n -  - trivial-rewrite
            bounce    unix  - - n -  0 bounce
            defer     unix  - - n -  0 bounce
            trace     unix  - - n -  0 bounce
            verify    unix  - - n -  1 verify
            flush     unix  n - n 1000? 0 flush
            proxymap  unix  - - n -  - proxymap
            smtp      unix  - - n -  - smtp
            showq     unix  n - n -  - showq
            error     unix  - - n -  - error
            retry     unix  - - n -  - error
            discard   unix  - - n -  - discard
            virtual   unix  - n n -  - virtual
            anvil     unix  - - n -  1 anvil
            scache    unix  - - n -  1 scache
            postlog   unix-dgram n - n - 1 postlogd

            """)).ConfigureAwait(false);

        // start-fg keeps postfix-script (and master under it) in the foreground; stopping goes through `postfix stop`.
        var process = ServerProcess.Start(
            "postfix",
            ["-c", configuration, "start-fg"],
            Path.Combine(root, "stdout.log"),
            () => Command.RunAsync("postfix", ["-c", configuration, "stop"]));
        var postfix = new Postfix(process, port, Path.Combine(mail, "bench", "Maildir", "new"));
        try
        {
            await process.WaitForPortAsync(port, TimeSpan.FromSeconds(30)).ConfigureAwait(false);
            return postfix;
        }
        catch
        {
            await postfix.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    public Memory Memory() => Servers.Memory.OfTree(_process.Id);

    public int? DeliveredCount() => Directory.Exists(_newMail) ? Directory.EnumerateFiles(_newMail).Count() : 0;

    public ValueTask DisposeAsync() => _process.DisposeAsync();
}
