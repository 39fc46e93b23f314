using System.Globalization;
using System.Text.RegularExpressions;

namespace Mailstead.Tests;

/// <summary>ARCHITECTURE.md §4: nothing acknowledged is ever lost by a crash.</summary>
public sealed partial class CrashSafetyTests : IDisposable
{
    private const string Password = "correct horse battery staple";
    private readonly MailsteadProcess _mailstead = new();

    public void Dispose() => _mailstead.Dispose();

    [Fact]
    public async Task Every_message_acknowledged_with_250_survives_a_sigkill_in_the_middle_of_a_stream_of_deliveries_intact()
    {
        await _mailstead.RunAsync("domain add example.test");
        await _mailstead.RunAsync("mailbox add crash@example.test --password-stdin", Password + "\n");
        int acknowledged;
        using (var server = await _mailstead.StartServerAsync())
        {
            using var sender = ExternalClient.StartPython(SendForever, server.MailPorts["Smtp"].ToString(CultureInfo.InvariantCulture));
            await sender.WaitForOutputAsync("acked 40", TimeSpan.FromSeconds(120));

            server.Kill();

            await sender.WaitForExitAsync(TimeSpan.FromSeconds(30));
            acknowledged = Acked().Matches(sender.Output).Select(m => int.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture)).Max();
        }

        using var restarted = await _mailstead.StartServerAsync();
        var read = await ExternalClient.PythonAsync(ReadAll, restarted.MailPorts["Pop3s"].ToString(CultureInfo.InvariantCulture), Password);
        Assert.True(read.ExitCode == 0, read.Error);

        var found = Found().Matches(read.Output).ToDictionary(m => int.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture), m => m.Groups[2].Value);
        for (var n = 1; n <= acknowledged; n++)
        {
            Assert.True(found.TryGetValue(n, out var state), $"message {n} got 250 but is gone after the crash");
            Assert.Equal("intact", state);
        }

        Assert.DoesNotContain("corrupt", read.Output, StringComparison.Ordinal);
    }

    // Sends numbered messages over one SMTP connection until the server dies; prints "acked N" after each 250.
    private const string SendForever = """
        import smtplib, sys
        port = int(sys.argv[1])
        payload = lambda n: ''.join(f'line {i} of message {n} ' + 'x' * 60 + '\r\n' for i in range(300))
        try:
            s = smtplib.SMTP('127.0.0.1', port, timeout=30)
            for n in range(1, 100000):
                body = f'From: sender@elsewhere.test\r\nTo: crash@example.test\r\nSubject: crash test {n}\r\n\r\n' + payload(n)
                s.sendmail('sender@elsewhere.test', ['crash@example.test'], body.encode())
                print(f'acked {n}', flush=True)
        except Exception as e:
            print('stopped:', type(e).__name__, flush=True)
        """;

    // Reads INBOX over POP3 and checks each crash-test message's body against what was sent.
    private const string ReadAll = """
        import poplib, ssl, sys, re
        tls = ssl.create_default_context(); tls.check_hostname = False; tls.verify_mode = ssl.CERT_NONE
        p = poplib.POP3_SSL('127.0.0.1', int(sys.argv[1]), context=tls)
        p.user('crash@example.test'); p.pass_(sys.argv[2])
        payload = lambda n: [f'line {i} of message {n} '.encode() + b'x' * 60 for i in range(300)]
        for i in range(1, p.stat()[0] + 1):
            lines = p.retr(i)[1]
            subject = [l for l in lines if l.startswith(b'Subject: crash test ')]
            if not subject:
                continue
            n = int(subject[0].split()[-1])
            body = lines[lines.index(b'') + 1:]
            print(f'message {n} ' + ('intact' if body == payload(n) else 'corrupt'))
        p.quit()
        """;

    [GeneratedRegex(@"^acked (\d+)", RegexOptions.Multiline)]
    private static partial Regex Acked();

    [GeneratedRegex(@"^message (\d+) (\w+)", RegexOptions.Multiline)]
    private static partial Regex Found();
}
