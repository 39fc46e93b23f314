using System.Net.Sockets;
using System.Text;

namespace Mailstead.Tests;

/// <summary>POP3 against the real server, with Python's poplib and curl.</summary>
public sealed class Pop3Tests(MailServerFixture mail) : IClassFixture<MailServerFixture>
{
    private const string Password = "correct horse battery staple";
    private const string NewPassword = "a brand new horse battery staple";

    // Every password change delivers a notice into INBOX: after this the mailbox holds exactly one message.
    private async Task<string> MailboxWithOneMessageAsync()
    {
        var address = await mail.AddMailboxAsync("pop", "temporary horse battery staple");
        await mail.ChangePasswordAsync(address, Password);
        return address;
    }

    [Fact]
    public async Task A_message_is_read_over_stls_and_dele_removes_it_only_when_the_client_says_quit()
    {
        var address = await MailboxWithOneMessageAsync();

        var result = await ExternalClient.PythonAsync(
            PythonPrelude + """
            def session():
                p = poplib.POP3('127.0.0.1', port)
                p.stls(tls)
                p.user(address)
                p.pass_(password)
                return p

            p = session()
            count, size = p.stat()
            print('stat', count)
            lines = p.retr(1)[1]
            print('subject', [l for l in lines if l.startswith(b'Subject:')][0].decode())
            print('uidl', p.uidl(1).decode())
            p.dele(1)
            p.sock.close()                       # gone without QUIT: nothing is deleted
            p = session()
            print('after drop', p.stat()[0])
            p.dele(1)
            p.quit()
            p = session()
            print('after quit', p.stat()[0])
            p.quit()
            """,
            mail.Port("Pop3").ToString(System.Globalization.CultureInfo.InvariantCulture), address, Password);

        Assert.True(result.ExitCode == 0, result.Error);
        Assert.Contains("stat 1", result.Output, StringComparison.Ordinal);
        Assert.Contains("subject Subject: Your mailbox password was reset", result.Output, StringComparison.Ordinal);
        Assert.Contains("after drop 1", result.Output, StringComparison.Ordinal);
        Assert.Contains("after quit 0", result.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Curl_lists_the_mailbox_over_implicit_tls_and_cannot_sign_in_without_tls()
    {
        var address = await MailboxWithOneMessageAsync();

        var secure = await ExternalClient.CurlAsync("-k", "--user", $"{address}:{Password}", $"pop3s://127.0.0.1:{mail.Port("Pop3s")}/");
        Assert.True(secure.ExitCode == 0, secure.Error);
        Assert.Matches(@"^1 \d+\r?\n$", secure.Output);

        var plain = await ExternalClient.CurlAsync("--user", $"{address}:{Password}", $"pop3://127.0.0.1:{mail.Port("Pop3")}/");
        Assert.NotEqual(0, plain.ExitCode);
        Assert.DoesNotContain(" 1 ", plain.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_password_change_from_the_cli_ends_an_open_session_at_once_and_the_old_password_is_refused()
    {
        var address = await MailboxWithOneMessageAsync();

        var result = await ExternalClient.PythonAsync(
            PythonPrelude + """
            p = poplib.POP3_SSL('127.0.0.1', port, context=tls)
            p.user(address)
            p.pass_(password)
            cli(['mailbox', 'passwd', address, '--password-stdin'], new_password)
            changed = time.time()
            p.sock.settimeout(5)
            print('told', p.file.readline().decode().strip())
            print('closed', p.file.readline() == b'')
            print('within', time.time() - changed)
            p = poplib.POP3_SSL('127.0.0.1', port, context=tls)
            p.user(address)
            try:
                p.pass_(password)
                print('old password accepted')
            except poplib.error_proto as e:
                print('old password refused', e)
            p = poplib.POP3_SSL('127.0.0.1', port, context=tls)
            p.user(address)
            print('new password', p.pass_(new_password).decode())
            """,
            [mail.Port("Pop3s").ToString(System.Globalization.CultureInfo.InvariantCulture), address, Password, NewPassword, .. mail.Mailstead.CommandLine()]);

        Assert.True(result.ExitCode == 0, result.Error + result.Output);
        Assert.Contains("told -ERR [SYS/PERM] The password of this mailbox was changed.", result.Output, StringComparison.Ordinal);
        Assert.Contains("closed True", result.Output, StringComparison.Ordinal);
        var within = double.Parse(result.Output.Split('\n').Single(l => l.StartsWith("within ", StringComparison.Ordinal))[7..], System.Globalization.CultureInfo.InvariantCulture);
        Assert.True(within < 1, $"the session ended {within:0.00} s after the change");
        Assert.Contains("old password refused", result.Output, StringComparison.Ordinal);
        Assert.Contains("new password +OK 2 messages", result.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Garbage_and_an_overlong_line_get_errors_and_the_connection_stays_usable()
    {
        using var client = new TcpClient();
        await client.ConnectAsync("127.0.0.1", mail.Port("Pop3"));
        using var stream = client.GetStream();
        using var reader = new StreamReader(stream, Encoding.ASCII);
        Assert.StartsWith("+OK", await reader.ReadLineAsync(), StringComparison.Ordinal);

        await stream.WriteAsync(Encoding.ASCII.GetBytes("FROB\r\n" + new string('x', 100_000) + "\r\n\0\u0001\r\nNOOP\r\n"));

        Assert.Equal("-ERR Unknown command.", await reader.ReadLineAsync());
        Assert.Equal("-ERR The command line is too long.", await reader.ReadLineAsync());
        Assert.Equal("-ERR Unknown command.", await reader.ReadLineAsync());
        Assert.Equal("+OK", await reader.ReadLineAsync());
    }

    /// <summary>
    /// Arguments: port, address, password, then optionally the new password and the CLI's command line
    /// (<c>cli(args, stdin)</c> runs it, as the server's administrator would).
    /// </summary>
    private const string PythonPrelude = """
        import poplib, ssl, subprocess, sys, time
        port, address, password = int(sys.argv[1]), sys.argv[2], sys.argv[3]
        new_password = sys.argv[4] if len(sys.argv) > 4 else None
        command_line = sys.argv[5:]
        tls = ssl.create_default_context()
        tls.check_hostname = False
        tls.verify_mode = ssl.CERT_NONE

        def cli(args, stdin):
            run = subprocess.run(command_line[:2] + args + command_line[2:], input=stdin + '\n', text=True, capture_output=True)
            assert run.returncode == 0, run.stderr

        """;
}
