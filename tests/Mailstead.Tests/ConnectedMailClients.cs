using System.Globalization;
using System.Text.RegularExpressions;

namespace Mailstead.Tests;

/// <summary>
/// Three mail programs signed in to one mailbox with Python's own libraries, as a person's devices would be: IMAP
/// (imaplib) in IDLE, POP3 (poplib) and SMTP submission (smtplib), all over implicit TLS. After a password change
/// they report when and with what words each connection was ended, then try the old password again on each.
/// </summary>
public sealed partial class ConnectedMailClients : IDisposable
{
    private readonly RunningProcess _clients;

    private ConnectedMailClients(RunningProcess clients) => _clients = clients;

    /// <summary>Connects all three to the server's Imaps, Pop3s and Submissions endpoints; returns once they are signed in.</summary>
    public static async Task<ConnectedMailClients> ConnectAsync(RunningServer server, string address, string password)
    {
        string[] endpoints = ["Imaps", "Pop3s", "Submissions"];
        var ports = endpoints.Select(e => server.MailPorts[e].ToString(CultureInfo.InvariantCulture));
        var clients = new ConnectedMailClients(ExternalClient.StartPython(Script, [.. ports, address, password]));
        try
        {
            await clients._clients.WaitForOutputAsync("all connected", TimeSpan.FromSeconds(30));
        }
        catch (TimeoutException ex)
        {
            clients.Dispose();
            throw new TimeoutException($"{await server.DescribeAsync(endpoints)}{ex.Message}\nThe server printed:\n{server.Output}", ex);
        }

        return clients;
    }

    /// <summary>
    /// The promise as a mail program sees it: IMAP got <c>* BYE</c>, POP3 <c>-ERR</c> and SMTP <c>421</c>, each closed
    /// within a second of <paramref name="changedAt"/>, and the old password opens none of them again.
    /// </summary>
    public async Task AssertEndedWithinASecondAndOldPasswordRefusedAsync(DateTimeOffset changedAt)
    {
        Assert.Equal(0, await _clients.WaitForExitAsync(TimeSpan.FromSeconds(60)));
        var output = _clients.Output;
        foreach (var protocol in new[] { "imap", "pop3", "smtp" })
        {
            var ended = Ended().Matches(output).SingleOrDefault(m => m.Groups[1].Value == protocol)
                ?? throw new Xunit.Sdk.XunitException($"{protocol} was not disconnected:\n{output}");
            var after = double.Parse(ended.Groups[2].Value, CultureInfo.InvariantCulture) - changedAt.ToUnixTimeMilliseconds() / 1000.0;
            Assert.True(after < 1.0, $"{protocol} was disconnected {after:0.000} s after the change:\n{output}");
        }

        Assert.Contains("imap said * BYE The password of this mailbox was changed.", output, StringComparison.Ordinal);
        Assert.Contains("pop3 said -ERR [SYS/PERM] The password of this mailbox was changed.", output, StringComparison.Ordinal);
        Assert.Contains("smtp said 421 4.7.0 The password of this mailbox was changed.", output, StringComparison.Ordinal);
        Assert.Contains("old password: imap refused, pop3 refused, smtp refused", output, StringComparison.Ordinal);
    }

    public void Dispose() => _clients.Dispose();

    // Connects all three, IMAP idling; prints "all connected"; then reports when and with what each one was ended,
    // and finally tries the old password again on each protocol.
    private const string Script = """
        import imaplib, poplib, smtplib, ssl, select, sys, time
        imap_port, pop_port, smtp_port, address, password = int(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3]), sys.argv[4], sys.argv[5]
        tls = ssl.create_default_context(); tls.check_hostname = False; tls.verify_mode = ssl.CERT_NONE

        imap = imaplib.IMAP4_SSL('127.0.0.1', imap_port, ssl_context=tls)
        imap.login(address, password)
        imap.select('INBOX')
        imap.send(b'i1 IDLE\r\n')
        assert imap.readline().startswith(b'+')
        pop = poplib.POP3_SSL('127.0.0.1', pop_port, context=tls)
        pop.user(address); pop.pass_(password)
        smtp = smtplib.SMTP_SSL('127.0.0.1', smtp_port, context=tls)
        smtp.login(address, password)
        print('all connected', flush=True)

        sockets = {'imap': imap.sock, 'pop3': pop.sock, 'smtp': smtp.sock}
        said = {}
        deadline = time.time() + 30
        while sockets and time.time() < deadline:
            ready, _, _ = select.select(list(sockets.values()), [], [], 0.05)
            for name in [n for n, s in sockets.items() if s in ready or (hasattr(s, 'pending') and s.pending())]:
                sock = sockets[name]
                data = sock.recv(4096)
                if data:
                    said[name] = said.get(name, b'') + data
                    continue
                print(f'ended {name} at {time.time():.3f}', flush=True)
                print(f'{name} said {said.get(name, b"").decode().strip()}', flush=True)
                del sockets[name]

        def refused(attempt):
            try:
                attempt()
                return 'accepted'
            except Exception:
                return 'refused'

        def imap_again():
            c = imaplib.IMAP4_SSL('127.0.0.1', imap_port, ssl_context=tls); c.login(address, password)
        def pop_again():
            c = poplib.POP3_SSL('127.0.0.1', pop_port, context=tls); c.user(address); c.pass_(password)
        def smtp_again():
            c = smtplib.SMTP_SSL('127.0.0.1', smtp_port, context=tls); c.login(address, password)
        print(f'old password: imap {refused(imap_again)}, pop3 {refused(pop_again)}, smtp {refused(smtp_again)}', flush=True)
        """;

    [GeneratedRegex(@"^ended (\w+) at ([\d.]+)", RegexOptions.Multiline)]
    private static partial Regex Ended();
}
