namespace Mailstead.Tests;

/// <summary>The real server on its MX and submission ports, driven by Python's smtplib, raw sockets and curl.</summary>
public sealed class SmtpTests : IDisposable
{
    private const string Password = "correct horse battery staple 9";

    private const string UntrustedContext = """
        import base64, smtplib, socket, ssl, sys
        ctx = ssl.create_default_context()
        ctx.check_hostname = False
        ctx.verify_mode = ssl.CERT_NONE  # the server's self-signed certificate
        """;

    private readonly MailsteadProcess _mailstead = new();

    public void Dispose() => _mailstead.Dispose();

    [Fact]
    public async Task The_mx_delivers_mail_from_anyone_to_a_local_mailbox_and_refuses_to_relay()
    {
        await SetUpAsync();
        using var server = await StartAsync();
        var port = server.MailPorts["Smtp"];

        var output = await SmtpClients.PythonAsync(UntrustedContext + """

            s = smtplib.SMTP("127.0.0.1", int(sys.argv[1]), timeout=20)
            s.sendmail("sender@remote.test", ["alice@example.test"], b"Subject: mx-python\r\n\r\nhello\r\n")
            try:
                s.sendmail("sender@remote.test", ["carol@elsewhere.test"], b"Subject: relay\r\n\r\nx\r\n")
                print("RELAYED")
            except smtplib.SMTPRecipientsRefused as e:
                code, text = e.recipients["carol@elsewhere.test"]
                print("REFUSED", code, text.decode())
            s.quit()
            """, port);
        var curl = await SmtpClients.CurlAsync($"smtp://127.0.0.1:{port}", "Subject: mx-curl\r\n\r\nhello\r\n", "--mail-from", "sender@remote.test", "--mail-rcpt", "alice@example.test");

        Assert.Contains("REFUSED 550 5.7.1 Relaying denied", output, StringComparison.Ordinal);
        Assert.True(curl.ExitCode == 0, curl.Error);
        Assert.Equal(["mx-curl", "mx-python"], StoredSubjects());
    }

    [Fact]
    public async Task Mail_to_postmaster_and_to_the_bare_postmaster_lands_once_in_the_configured_postmaster_mailbox()
    {
        await SetUpAsync();
        using var server = await _mailstead.StartServerAsync("--Mailstead:Mail:Postmaster=bob@example.test");

        var output = await SmtpClients.PythonAsync(UntrustedContext + """

            import imaplib
            s = smtplib.SMTP("127.0.0.1", int(sys.argv[1]), timeout=20)
            print("refused", s.sendmail("", ["Postmaster", "postmaster@example.test"], b"Subject: to-postmaster\r\n\r\nabuse report\r\n"))
            s.quit()
            m = imaplib.IMAP4_SSL("127.0.0.1", int(sys.argv[2]), ssl_context=ctx)
            m.login("bob@example.test", sys.argv[3])
            m.select("INBOX")
            print("found", m.search(None, "SUBJECT", "to-postmaster")[1][0].decode())
            """, server.MailPorts["Smtp"], server.MailPorts["Imaps"], Password);

        Assert.Contains("refused {}", output, StringComparison.Ordinal);
        Assert.Contains("found 1\n", output, StringComparison.Ordinal);
        Assert.DoesNotContain("Mailstead:Mail:Postmaster is", server.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_mx_refuses_a_bare_lf_in_data_and_runs_nothing_smuggled_behind_it_or_behind_starttls()
    {
        await SetUpAsync();
        using var server = await StartAsync();

        var output = await SmtpClients.PythonAsync(UntrustedContext + """

            s = socket.create_connection(("127.0.0.1", int(sys.argv[1])), timeout=20)
            f = s.makefile("rb")
            def reply(f):
                while True:
                    line = f.readline().decode()
                    if line[3:4] != "-":
                        return line.strip()
            reply(f)
            for command in [b"EHLO raw.test", b"MAIL FROM:<a@remote.test>", b"RCPT TO:<alice@example.test>", b"DATA"]:
                s.sendall(command + b"\r\n")
                reply(f)
            s.sendall(b"Subject: smuggler\r\n\r\nhi\n.\r\nMAIL FROM:<ceo@example.test>\r\nRCPT TO:<alice@example.test>\r\nDATA\r\nSubject: forged\r\n\r\nx\r\n.\r\n")
            print("DATA", reply(f))
            s.sendall(b"NOOP\r\n")
            print("NOOP", reply(f))
            s.sendall(b"STARTTLS\r\nRSET\r\n")
            print("STARTTLS", reply(f))
            t = ctx.wrap_socket(s)
            ft = t.makefile("rb")
            t.sendall(b"EHLO raw.test\r\n")
            print("AFTER", ft.readline().decode().strip())
            """, server.MailPorts["Smtp"]);

        Assert.Contains("DATA 550 5.6.0", output, StringComparison.Ordinal);
        Assert.Contains("NOOP 250 2.0.0 OK", output, StringComparison.Ordinal);
        Assert.Contains("STARTTLS 220 2.0.0", output, StringComparison.Ordinal);
        // Had the injected RSET run, its "250 2.0.0 OK" would come first.
        Assert.Contains("AFTER 250-", output, StringComparison.Ordinal);
        Assert.Empty(StoredSubjects());
    }

    [Fact]
    public async Task Submission_signs_in_only_over_tls_sends_only_as_itself_and_keeps_remote_mail_queued_across_a_restart()
    {
        await SetUpAsync();
        using (var server = await StartAsync())
        {
            var output = await SmtpClients.PythonAsync(UntrustedContext + """

                password = sys.argv[3]
                plain = base64.b64encode(("\0alice@example.test\0" + password).encode()).decode()
                s = smtplib.SMTP("127.0.0.1", int(sys.argv[1]), timeout=20)
                s.ehlo()
                print("AUTH-BEFORE-TLS", *s.docmd("AUTH", "PLAIN " + plain))
                print("MAIL-BEFORE-TLS", *s.docmd("MAIL", "FROM:<alice@example.test>"))
                s.starttls(context=ctx)
                s.ehlo()
                # smtplib tries PLAIN and then LOGIN: two failures per attempt, so each gets its own connection.
                for name, login, secret in [("UNKNOWN", "nobody@example.test", password), ("WRONG", "alice@example.test", "wrong password")]:
                    t = smtplib.SMTP("127.0.0.1", int(sys.argv[1]), timeout=20)
                    t.starttls(context=ctx)
                    try:
                        t.login(login, secret)
                    except smtplib.SMTPAuthenticationError as e:
                        print(name, e.smtp_code, e.smtp_error.decode())
                    t.close()
                s.login("alice@example.test", password)
                s.sendmail("alice@example.test", ["bob@example.test", "friend@elsewhere.test"], b"Subject: starttls-python\r\n\r\nhi\r\n")
                try:
                    s.sendmail("bob@example.test", ["friend@elsewhere.test"], b"Subject: spoof\r\n\r\nx\r\n")
                except smtplib.SMTPSenderRefused as e:
                    print("SPOOF", e.smtp_code, e.smtp_error.decode())
                s.quit()
                s = smtplib.SMTP_SSL("127.0.0.1", int(sys.argv[2]), context=ctx, timeout=20)
                s.login("alice@example.test", password)
                s.sendmail("alice@example.test", ["bob@example.test"], b"Subject: implicit-python\r\n\r\nhi\r\n")
                s.quit()
                print("DONE")
                """, server.MailPorts["Submission"], server.MailPorts["Submissions"], Password);
            var user = $"alice@example.test:{Password}";
            var starttls = await SmtpClients.CurlAsync($"smtp://127.0.0.1:{server.MailPorts["Submission"]}", "Subject: starttls-curl\r\n\r\nhi\r\n", "--ssl-reqd", "-k", "--user", user, "--mail-from", "alice@example.test", "--mail-rcpt", "bob@example.test");
            var implicitTls = await SmtpClients.CurlAsync($"smtps://127.0.0.1:{server.MailPorts["Submissions"]}", "Subject: implicit-curl\r\n\r\nhi\r\n", "-k", "--user", user, "--mail-from", "alice@example.test", "--mail-rcpt", "bob@example.test");

            Assert.Contains("AUTH-BEFORE-TLS 530 b'5.7.0 Must issue a STARTTLS command first'", output, StringComparison.Ordinal);
            Assert.Contains("MAIL-BEFORE-TLS 530 b'5.7.0 Must issue a STARTTLS command first'", output, StringComparison.Ordinal);
            Assert.Contains("UNKNOWN 535 5.7.8 Authentication credentials invalid", output, StringComparison.Ordinal);
            Assert.Contains("WRONG 535 5.7.8 Authentication credentials invalid", output, StringComparison.Ordinal);
            Assert.Contains("SPOOF 553 5.7.1 You may send only as <alice@example.test>", output, StringComparison.Ordinal);
            Assert.Contains("DONE", output, StringComparison.Ordinal);
            Assert.True(starttls.ExitCode == 0, starttls.Error);
            Assert.True(implicitTls.ExitCode == 0, implicitTls.Error);
            Assert.Equal(["implicit-curl", "implicit-python", "starttls-curl", "starttls-python"], StoredSubjects());
            Assert.Equal(0, await server.InterruptAsync());
        }

        using (await StartAsync())
        {
            var queue = await _mailstead.RunAsync("queue list");

            Assert.Matches(@"\tQueued\t.*alice@example\.test -> friend@elsewhere\.test", queue.Output);
            Assert.Contains("1 queued.", queue.Output, StringComparison.Ordinal);
        }
    }

    private async Task SetUpAsync()
    {
        Assert.Equal(0, (await _mailstead.RunAsync("domain add example.test")).ExitCode);
        Assert.Equal(0, (await _mailstead.RunAsync("mailbox add alice@example.test --password-stdin", Password + "\n")).ExitCode);
        Assert.Equal(0, (await _mailstead.RunAsync("mailbox add bob@example.test --password-stdin", Password + "\n")).ExitCode);
    }

    private async Task<RunningServer> StartAsync()
    {
        // Every listener is bound before the host reports HTTP listening: nothing more to wait for.
        return await _mailstead.StartServerAsync();
    }

    /// <summary>Subjects of the message bodies the store wrote (local deliveries and queued mail), sorted.</summary>
    private string[] StoredSubjects()
    {
        var mail = Path.Combine(_mailstead.DataDirectory, "mail");
        return !Directory.Exists(mail) ? [] : Directory.EnumerateFiles(mail, "*", SearchOption.AllDirectories)
            .Where(f => !Path.GetFileName(f).StartsWith('.'))
            .SelectMany(f => File.ReadLines(f).Where(l => l.StartsWith("Subject: ", StringComparison.Ordinal)).Take(1))
            .Select(l => l["Subject: ".Length..])
            .Distinct()
            .Order(StringComparer.Ordinal)
            .ToArray();
    }
}
