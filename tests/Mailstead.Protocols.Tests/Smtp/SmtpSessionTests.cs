using Mailstead.Protocols.Connections;
using Mailstead.Protocols.Smtp;

namespace Mailstead.Protocols.Tests.Smtp;

public sealed class SmtpSessionTests
{
    [Fact]
    public async Task A_message_for_a_local_mailbox_is_delivered_with_a_received_header_on_top()
    {
        await using var smtp = await SmtpHarness.StartAsync(SmtpMode.Mx);

        var ehlo = await smtp.CommandAsync("EHLO client.test");
        Assert.Contains("250-PIPELINING", ehlo, StringComparison.Ordinal);
        Assert.Contains("250-SIZE 10000", ehlo, StringComparison.Ordinal);
        Assert.Contains("250-8BITMIME", ehlo, StringComparison.Ordinal);
        Assert.Contains("250-ENHANCEDSTATUSCODES", ehlo, StringComparison.Ordinal);
        Assert.Contains("SMTPUTF8", ehlo, StringComparison.Ordinal);
        Assert.DoesNotContain("AUTH", ehlo, StringComparison.Ordinal);
        Assert.StartsWith("250 2.1.0", await smtp.CommandAsync("MAIL FROM:<sender@remote.test>"), StringComparison.Ordinal);
        Assert.StartsWith("250 2.1.5", await smtp.CommandAsync("RCPT TO:<Alice@Example.TEST>"), StringComparison.Ordinal);
        Assert.StartsWith("354", await smtp.CommandAsync("DATA"), StringComparison.Ordinal);
        Assert.StartsWith("250 2.0.0", await smtp.CommandAsync("Subject: hi\r\n\r\n..dot\r\n."), StringComparison.Ordinal);

        var (address, message) = Assert.Single(smtp.Backend.Delivered);
        Assert.Equal("alice@example.test", address);
        Assert.Matches(@"^Received: from client\.test \(\[127\.0\.0\.1\]\)\r\n\tby mx\.test with ESMTP id [0-9a-f]{16}\r\n\tfor <alice@example\.test>;\r\n\t\w{3}, \d{1,2} \w{3} \d{4} \d\d:\d\d:\d\d \+0000\r\nSubject: hi\r\n\r\n\.dot\r\n$", message);
    }

    [Theory]
    [InlineData("RCPT TO:<a@example.test>", "503 5.5.1")]
    [InlineData("DATA", "503 5.5.1")]
    [InlineData("MAIL FROM:<a@b.test>", "503 5.5.1")]
    [InlineData("STARTTLS", "503 5.5.1")]
    [InlineData("FOO", "500 5.5.1")]
    [InlineData("VRFY alice", "252 2.0.0")]
    [InlineData("EXPN list", "502 5.5.1")]
    [InlineData("NOOP", "250 2.0.0")]
    [InlineData("RSET", "250 2.0.0")]
    [InlineData("HELP", "214 2.0.0")]
    [InlineData("EHLO", "501 5.5.4")]
    [InlineData("EHLO bad_name", "501 5.5.4")]
    public async Task Before_ehlo_each_command_gets_the_answer_of_the_state_table(string command, string reply)
    {
        await using var smtp = await SmtpHarness.StartAsync(SmtpMode.Mx);

        Assert.StartsWith(reply, await smtp.CommandAsync(command), StringComparison.Ordinal);
        Assert.StartsWith("250", await smtp.CommandAsync("NOOP"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Recipients_are_checked_one_by_one_and_data_after_only_refusals_gets_554()
    {
        await using var smtp = await SmtpHarness.StartAsync(SmtpMode.Mx);
        await smtp.CommandAsync("EHLO client.test");
        await smtp.CommandAsync("MAIL FROM:<>");

        Assert.StartsWith("550 5.7.1 Relaying denied", await smtp.CommandAsync("RCPT TO:<someone@elsewhere.test>"), StringComparison.Ordinal);
        Assert.StartsWith("550 5.7.1", await smtp.CommandAsync("RCPT TO:<someone@[192.0.2.1]>"), StringComparison.Ordinal);
        Assert.StartsWith("550 5.1.1", await smtp.CommandAsync("RCPT TO:<nobody@example.test>"), StringComparison.Ordinal);
        Assert.StartsWith("550 5.2.1", await smtp.CommandAsync("RCPT TO:<gone@example.test>"), StringComparison.Ordinal);
        Assert.StartsWith("553 5.6.7", await smtp.CommandAsync("RCPT TO:<jörg@example.test>"), StringComparison.Ordinal);
        Assert.StartsWith("554 5.5.1", await smtp.CommandAsync("DATA"), StringComparison.Ordinal);
        Assert.StartsWith("503 5.5.1", await smtp.CommandAsync("MAIL FROM:<a@b.test>"), StringComparison.Ordinal);
        Assert.StartsWith("250", await smtp.CommandAsync("RSET"), StringComparison.Ordinal);
        Assert.StartsWith("250", await smtp.CommandAsync("MAIL FROM:<a@b.test>"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Postmaster_of_any_domain_here_and_the_bare_postmaster_reach_the_configured_postmaster_mailbox_once()
    {
        await using var smtp = await SmtpHarness.StartAsync(SmtpMode.Mx);
        await smtp.CommandAsync("EHLO client.test");
        await smtp.CommandAsync("MAIL FROM:<>");
        Assert.StartsWith("550 5.1.1", await smtp.CommandAsync("RCPT TO:<Postmaster>"), StringComparison.Ordinal);
        Assert.StartsWith("550 5.1.1", await smtp.CommandAsync("RCPT TO:<postmaster@example.test>"), StringComparison.Ordinal);
        await smtp.CommandAsync("RSET");

        smtp.Backend.Postmaster = "Bob@Example.test";
        await smtp.CommandAsync("MAIL FROM:<>");
        Assert.StartsWith("250", await smtp.CommandAsync("RCPT TO:<Postmaster>"), StringComparison.Ordinal);
        Assert.StartsWith("250", await smtp.CommandAsync("RCPT TO:<POSTMASTER@example.test>"), StringComparison.Ordinal);
        Assert.StartsWith("550 5.7.1", await smtp.CommandAsync("RCPT TO:<postmaster@elsewhere.test>"), StringComparison.Ordinal);
        await smtp.CommandAsync("DATA");
        Assert.StartsWith("250", await smtp.CommandAsync("Subject: abuse report\r\n\r\nx\r\n."), StringComparison.Ordinal);

        Assert.Equal(["bob@example.test"], smtp.Backend.Delivered.Select(d => d.Address));
    }

    [Fact]
    public async Task Pipelined_commands_are_answered_in_order_and_none_is_lost()
    {
        await using var smtp = await SmtpHarness.StartAsync(SmtpMode.Mx);
        await smtp.CommandAsync("EHLO client.test");

        await smtp.SendRawAsync("MAIL FROM:<a@b.test>\r\nRCPT TO:<alice@example.test>\r\nRCPT TO:<nobody@example.test>\r\nRCPT TO:<bob@example.test>\r\nDATA\r\n");
        string[] expected = ["250 2.1.0", "250 2.1.5", "550 5.1.1", "250 2.1.5", "354"];
        foreach (var reply in expected)
        {
            Assert.StartsWith(reply, await smtp.ReplyAsync(), StringComparison.Ordinal);
        }

        await smtp.SendRawAsync("Subject: two\r\n\r\nbody\r\n.\r\nNOOP\r\nQUIT\r\n");
        Assert.StartsWith("250 2.0.0", await smtp.ReplyAsync(), StringComparison.Ordinal);
        Assert.StartsWith("250 2.0.0 OK", await smtp.ReplyAsync(), StringComparison.Ordinal);
        Assert.StartsWith("221", await smtp.ReplyAsync(), StringComparison.Ordinal);
        Assert.Equal(["alice@example.test", "bob@example.test"], smtp.Backend.Delivered.Select(d => d.Address));
        Assert.DoesNotContain("for <", smtp.Backend.Delivered.First().Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_bare_lf_in_data_is_refused_after_the_end_and_what_was_smuggled_behind_it_is_not_a_command()
    {
        await using var smtp = await SmtpHarness.StartAsync(SmtpMode.Mx);
        await smtp.CommandAsync("EHLO client.test");
        await smtp.CommandAsync("MAIL FROM:<a@b.test>");
        await smtp.CommandAsync("RCPT TO:<alice@example.test>");
        await smtp.CommandAsync("DATA");

        await smtp.SendRawAsync("Subject: x\r\n\r\nhello\n.\r\nMAIL FROM:<ceo@example.test>\r\nRCPT TO:<bob@example.test>\r\nDATA\r\nforged\r\n.\r\n");

        Assert.StartsWith("550 5.6.0", await smtp.ReplyAsync(), StringComparison.Ordinal);
        Assert.StartsWith("250 2.0.0 OK", await smtp.CommandAsync("NOOP"), StringComparison.Ordinal);
        Assert.Empty(smtp.Backend.Delivered);
    }

    [Fact]
    public async Task A_declared_size_over_the_limit_is_refused_at_mail_and_a_larger_message_after_its_data()
    {
        await using var smtp = await SmtpHarness.StartAsync(SmtpMode.Mx);
        await smtp.CommandAsync("EHLO client.test");

        Assert.StartsWith("552 5.3.4", await smtp.CommandAsync("MAIL FROM:<a@b.test> SIZE=10001"), StringComparison.Ordinal);
        await smtp.CommandAsync("MAIL FROM:<a@b.test> SIZE=100");
        await smtp.CommandAsync("RCPT TO:<alice@example.test>");
        await smtp.CommandAsync("DATA");
        await smtp.SendRawAsync(string.Concat(Enumerable.Repeat(new string('x', 98) + "\r\n", 200)) + ".\r\n");

        Assert.StartsWith("552 5.3.4", await smtp.ReplyAsync(), StringComparison.Ordinal);
        Assert.StartsWith("250", await smtp.CommandAsync("NOOP"), StringComparison.Ordinal);
        Assert.Empty(smtp.Backend.Delivered);
    }

    [Fact]
    public async Task A_message_beyond_the_memory_for_messages_being_received_gets_a_temporary_452_and_the_session_goes_on()
    {
        await using var smtp = await SmtpHarness.StartAsync(SmtpMode.Mx, new ProtocolLimits { MaxMessageBytesInMemory = 1000 });
        await smtp.CommandAsync("EHLO client.test");
        await smtp.CommandAsync("MAIL FROM:<a@b.test>");
        await smtp.CommandAsync("RCPT TO:<alice@example.test>");
        await smtp.CommandAsync("DATA");
        await smtp.SendRawAsync("Subject: later\r\n\r\nHello.\r\n.\r\n");

        Assert.StartsWith("452 4.3.1", await smtp.ReplyAsync(), StringComparison.Ordinal);
        Assert.StartsWith("250", await smtp.CommandAsync("NOOP"), StringComparison.Ordinal);
        Assert.Empty(smtp.Backend.Delivered);
    }

    [Fact]
    public async Task A_full_mailbox_refuses_at_rcpt_before_the_data_is_sent_and_the_others_still_get_the_message()
    {
        await using var smtp = await SmtpHarness.StartAsync(SmtpMode.Mx);
        smtp.Backend.Full.Add("bob@example.test");
        await smtp.CommandAsync("EHLO client.test");
        await smtp.CommandAsync("MAIL FROM:<a@b.test> SIZE=500");

        Assert.StartsWith("250", await smtp.CommandAsync("RCPT TO:<alice@example.test>"), StringComparison.Ordinal);
        Assert.StartsWith("552 5.2.2 The mailbox <bob@example.test> is full", await smtp.CommandAsync("RCPT TO:<bob@example.test>"), StringComparison.Ordinal);
        await smtp.CommandAsync("DATA");
        Assert.StartsWith("250", await smtp.CommandAsync("Subject: x\r\n\r\nx\r\n."), StringComparison.Ordinal);
        Assert.Equal(["alice@example.test"], smtp.Backend.Delivered.Select(d => d.Address));
    }

    [Fact]
    public async Task When_a_mailbox_fills_up_during_the_data_the_reply_fails_and_names_who_got_the_message()
    {
        await using var smtp = await SmtpHarness.StartAsync(SmtpMode.Mx);
        smtp.Backend.FillsDuringData.Add("bob@example.test");
        await smtp.CommandAsync("EHLO client.test");
        await smtp.CommandAsync("MAIL FROM:<a@b.test>");
        await smtp.CommandAsync("RCPT TO:<alice@example.test>");
        await smtp.CommandAsync("RCPT TO:<bob@example.test>");
        await smtp.CommandAsync("DATA");

        var reply = await smtp.CommandAsync("Subject: x\r\n\r\nx\r\n.");

        Assert.StartsWith("552 5.2.2 Mailbox full: <bob@example.test>; delivered to <alice@example.test> only", reply, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Too_many_recipients_get_452_and_the_message_still_goes_to_the_accepted_ones()
    {
        await using var smtp = await SmtpHarness.StartAsync(SmtpMode.Mx);
        smtp.Backend.MaxRecipients = 1;
        await smtp.CommandAsync("EHLO client.test");
        await smtp.CommandAsync("MAIL FROM:<a@b.test>");
        await smtp.CommandAsync("RCPT TO:<alice@example.test>");

        Assert.StartsWith("452 4.5.3", await smtp.CommandAsync("RCPT TO:<bob@example.test>"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Invalid_commands_in_a_row_close_the_connection_with_421()
    {
        await using var smtp = await SmtpHarness.StartAsync(SmtpMode.Mx, new ProtocolLimits { MaxInvalidCommands = 3 });

        Assert.StartsWith("500", await smtp.CommandAsync("GET / HTTP/1.1"), StringComparison.Ordinal);
        Assert.StartsWith("500", await smtp.CommandAsync("Host: x"), StringComparison.Ordinal);
        Assert.Equal("500 5.5.1 Command unrecognized\n421 4.7.0 Too many invalid commands; closing connection", await smtp.CommandAsync("Accept: */*") + "\n" + await smtp.ReplyAsync());
        Assert.True(await smtp.ClosedAsync());
    }

    [Fact]
    public async Task A_command_line_beyond_the_limit_gets_500_and_the_session_stays_in_step()
    {
        await using var smtp = await SmtpHarness.StartAsync(SmtpMode.Mx);

        Assert.StartsWith("500 5.5.2 Line too long", await smtp.CommandAsync("NOOP " + new string('x', 5000)), StringComparison.Ordinal);
        Assert.StartsWith("250 2.0.0 OK", await smtp.CommandAsync("NOOP"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Termination_says_421_with_the_reason_and_closes()
    {
        await using var smtp = await SmtpHarness.StartAsync(SmtpMode.Mx);
        await smtp.CommandAsync("EHLO client.test");

        smtp.Connection.Terminate("Your password was changed.");

        Assert.Equal("421 4.7.0 Your password was changed.", await smtp.ReplyAsync());
        Assert.True(await smtp.ClosedAsync());
    }

    [Fact]
    public async Task An_idle_client_is_told_421_4_4_2_and_disconnected()
    {
        await using var smtp = await SmtpHarness.StartAsync(SmtpMode.Mx, new ProtocolLimits { SmtpIdleTimeout = TimeSpan.FromMilliseconds(200) });

        Assert.StartsWith("421 4.4.2", await smtp.ReplyAsync(), StringComparison.Ordinal);
        Assert.True(await smtp.ClosedAsync());
    }

    [Fact]
    public async Task A_client_that_closes_in_the_middle_of_a_line_ends_the_session()
    {
        var smtp = await SmtpHarness.StartAsync(SmtpMode.Mx);
        await smtp.SendRawAsync("EHLO half-a-line");

        await smtp.DisposeAsync();
    }

    [Fact]
    public async Task Submission_without_tls_refuses_auth_and_mail_until_starttls()
    {
        await using var smtp = await SmtpHarness.StartAsync(SmtpMode.Submission, tls: true);

        var ehlo = await smtp.CommandAsync("EHLO client.test");
        Assert.Contains("STARTTLS", ehlo, StringComparison.Ordinal);
        Assert.DoesNotContain("AUTH", ehlo, StringComparison.Ordinal);
        Assert.Equal("530 5.7.0 Must issue a STARTTLS command first", await smtp.CommandAsync("AUTH PLAIN AGFsaWNlQGV4YW1wbGUudGVzdABzZWNyZXQ="));
        Assert.Equal("530 5.7.0 Must issue a STARTTLS command first", await smtp.CommandAsync("MAIL FROM:<alice@example.test>"));
    }

    [Fact]
    public async Task Commands_pipelined_behind_starttls_are_thrown_away_with_the_plaintext()
    {
        await using var smtp = await SmtpHarness.StartAsync(SmtpMode.Submission, tls: true);
        await smtp.CommandAsync("EHLO client.test");

        await smtp.SendRawAsync("STARTTLS\r\nRSET\r\n");
        Assert.StartsWith("220 2.0.0", await smtp.ReplyAsync(), StringComparison.Ordinal);
        await smtp.StartTlsAsync();

        // The first reply after the handshake answers this EHLO, not the injected RSET; the session starts over.
        var ehlo = await smtp.CommandAsync("EHLO client.test");
        Assert.StartsWith("250-mx.test Hello", ehlo, StringComparison.Ordinal);
        Assert.Contains("AUTH PLAIN LOGIN", ehlo, StringComparison.Ordinal);
        Assert.DoesNotContain("STARTTLS", ehlo, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Submission_signs_in_with_plain_or_login_sends_only_as_itself_and_queues_remote_recipients()
    {
        await using var smtp = await SmtpHarness.StartAsync(SmtpMode.Submission, tls: true);
        await smtp.CommandAsync("EHLO client.test");
        await smtp.CommandAsync("STARTTLS");
        await smtp.StartTlsAsync();
        await smtp.CommandAsync("EHLO client.test");

        Assert.Equal("530 5.7.0 Authentication required", await smtp.CommandAsync("MAIL FROM:<alice@example.test>"));
        Assert.Equal("334 VXNlcm5hbWU6", await smtp.CommandAsync("AUTH LOGIN"));
        Assert.Equal("334 UGFzc3dvcmQ6", await smtp.CommandAsync(Sasl.EncodeText("alice@example.test")));
        Assert.Equal("535 5.7.8 Authentication credentials invalid", await smtp.CommandAsync(Sasl.EncodeText("wrong")));
        Assert.Equal("334 ", await smtp.CommandAsync("AUTH PLAIN"));
        Assert.Equal("501 5.7.0 Authentication cancelled", await smtp.CommandAsync("*"));
        Assert.Equal("235 2.7.0 Authentication successful", await smtp.CommandAsync("AUTH PLAIN " + Sasl.EncodeText("\0alice@example.test\0secret")));
        Assert.Equal("503 5.5.1 Already authenticated", await smtp.CommandAsync("AUTH PLAIN " + Sasl.EncodeText("\0alice@example.test\0secret")));

        Assert.Equal("553 5.7.1 You may send only as <alice@example.test>", await smtp.CommandAsync("MAIL FROM:<bob@example.test>"));
        Assert.StartsWith("250", await smtp.CommandAsync("MAIL FROM:<Alice@example.test> BODY=8BITMIME AUTH=<>"), StringComparison.Ordinal);
        Assert.StartsWith("250", await smtp.CommandAsync("RCPT TO:<bob@example.test>"), StringComparison.Ordinal);
        Assert.StartsWith("250", await smtp.CommandAsync("RCPT TO:<friend@elsewhere.test>"), StringComparison.Ordinal);
        await smtp.CommandAsync("DATA");
        Assert.StartsWith("250 2.0.0", await smtp.CommandAsync("Subject: out\r\n\r\nbody\r\n."), StringComparison.Ordinal);

        Assert.Contains("with ESMTPSA id", Assert.Single(smtp.Backend.Delivered).Message, StringComparison.Ordinal);
        var queued = Assert.Single(smtp.Backend.Queued);
        Assert.Equal(["friend@elsewhere.test"], queued.Recipients);
        Assert.Equal("Alice@example.test", queued.EnvelopeFrom);
        Assert.True(queued.EightBitMime);
        Assert.DoesNotContain(smtp.Log.Lines, line => line.Contains("secret", StringComparison.Ordinal) || line.Contains(Sasl.EncodeText("wrong"), StringComparison.Ordinal));
    }

    [Fact]
    public async Task Too_many_failed_authentications_close_the_connection()
    {
        await using var smtp = await SmtpHarness.StartAsync(SmtpMode.Submission, new ProtocolLimits { MaxFailedAuthentications = 2 }, tls: true);
        await smtp.CommandAsync("EHLO client.test");
        await smtp.CommandAsync("STARTTLS");
        await smtp.StartTlsAsync();
        await smtp.CommandAsync("EHLO client.test");

        Assert.Equal("535 5.7.8 Authentication credentials invalid", await smtp.CommandAsync("AUTH PLAIN " + Sasl.EncodeText("\0alice@example.test\0nope")));
        Assert.Equal("535 5.7.8 Authentication credentials invalid", await smtp.CommandAsync("AUTH PLAIN " + Sasl.EncodeText("\0nobody@example.test\0nope")));
        Assert.StartsWith("421 4.7.0", await smtp.ReplyAsync(), StringComparison.Ordinal);
        Assert.True(await smtp.ClosedAsync());
    }

    [Fact]
    public async Task The_mx_offers_no_auth()
    {
        await using var smtp = await SmtpHarness.StartAsync(SmtpMode.Mx, tls: true);
        await smtp.CommandAsync("EHLO client.test");

        Assert.StartsWith("502 5.5.1", await smtp.CommandAsync("AUTH PLAIN"), StringComparison.Ordinal);
    }
}
