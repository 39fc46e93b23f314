using System.Globalization;
using System.Net;
using System.Text.RegularExpressions;

namespace Mailstead.Tests;

/// <summary>
/// The headline promise (ARCHITECTURE.md §2): a password changed in the user panel or the webmail ends, at once, every
/// mail program connected with the old one (IMAP in IDLE, POP3, SMTP submission), and the old password opens nothing.
/// </summary>
public sealed partial class PasswordPromiseTests(MailServerFixture mail) : IClassFixture<MailServerFixture>
{
    private const string OldPassword = "correct horse battery staple";
    private const string NewPassword = "seven lanterns above the quiet bay";

    [Theory]
    [InlineData("account", "/account/password")] // the user panel's Password page
    [InlineData("mail", "/mail/account")] // the webmail's My Account: "Update password and log me out from everywhere"
    public async Task A_change_in_the_user_panel_or_the_webmail_disconnects_imap_pop3_and_smtp_within_a_second_and_the_old_password_is_refused_everywhere(string surface, string passwordPage)
    {
        var address = await mail.AddMailboxAsync("promise-" + surface, OldPassword);
        using var clients = ExternalClient.StartPython(
            ThreeClients,
            Port("Imaps"), Port("Pop3s"), Port("Submissions"), address, OldPassword);
        await clients.WaitForOutputAsync("all connected", TimeSpan.FromSeconds(30));

        using var browser = new WebClient(mail.Server.BaseAddress);
        await browser.SignInOrFailAsync(surface, address, OldPassword);
        using (var changed = await browser.PostFormAsync(
            passwordPage,
            passwordPage,
            ("CurrentPassword", OldPassword),
            ("NewPassword", NewPassword),
            ("ConfirmPassword", NewPassword)))
        {
            Assert.Equal(HttpStatusCode.Redirect, changed.StatusCode);
        }

        var changedAt = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() / 1000.0;
        Assert.Equal(0, await clients.WaitForExitAsync(TimeSpan.FromSeconds(60)));
        var output = clients.Output;
        foreach (var protocol in new[] { "imap", "pop3", "smtp" })
        {
            var ended = Ended().Matches(output).SingleOrDefault(m => m.Groups[1].Value == protocol)
                ?? throw new Xunit.Sdk.XunitException($"{protocol} was not disconnected:\n{output}");
            var at = double.Parse(ended.Groups[2].Value, CultureInfo.InvariantCulture);
            Assert.True(at - changedAt < 1.0, $"{protocol} was disconnected {at - changedAt:0.000} s after the change:\n{output}");
        }

        Assert.Contains("imap said * BYE The password of this mailbox was changed.", output, StringComparison.Ordinal);
        Assert.Contains("pop3 said -ERR [SYS/PERM] The password of this mailbox was changed.", output, StringComparison.Ordinal);
        Assert.Contains("smtp said 421 4.7.0 The password of this mailbox was changed.", output, StringComparison.Ordinal);
        Assert.Contains("old password: imap refused, pop3 refused, smtp refused", output, StringComparison.Ordinal);
    }

    private string Port(string endpoint) => mail.Port(endpoint).ToString(CultureInfo.InvariantCulture);

    // Connects all three, IMAP idling; prints "all connected"; then reports when and with what each one was ended,
    // and finally tries the old password again on each protocol.
    private const string ThreeClients = """
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
