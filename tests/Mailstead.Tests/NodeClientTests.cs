using System.Globalization;

namespace Mailstead.Tests;

/// <summary>Node's mail libraries against the real server: nodemailer submitting, imapflow reading.</summary>
public sealed class NodeClientTests(MailServerFixture mail) : IClassFixture<MailServerFixture>
{
    private const string Password = "correct horse battery staple";

    private string Port(string endpoint) => mail.Port(endpoint).ToString(CultureInfo.InvariantCulture);

    [Fact]
    public async Task Nodemailer_submits_over_starttls_and_over_implicit_tls_and_both_messages_arrive()
    {
        var sender = await mail.AddMailboxAsync("sender", Password);
        var recipient = await mail.AddMailboxAsync("recipient", Password);

        var starttls = await ExternalClient.NodeAsync("submit.mjs", Port("Submission"), sender, Password, sender, recipient, "over starttls");
        var implicitTls = await ExternalClient.NodeAsync("submit.mjs", Port("Submissions"), sender, Password, sender, recipient, "over implicit tls", "implicit-tls");

        Assert.True(starttls.ExitCode == 0, starttls.Output + starttls.Error);
        Assert.True(implicitTls.ExitCode == 0, implicitTls.Output + implicitTls.Error);
        Assert.Contains($"accepted {recipient}", starttls.Output, StringComparison.Ordinal);
        var subjects = await ExternalClient.PythonAsync(
            """
            import poplib, ssl, sys
            tls = ssl.create_default_context(); tls.check_hostname = False; tls.verify_mode = ssl.CERT_NONE
            p = poplib.POP3_SSL('127.0.0.1', int(sys.argv[1]), context=tls)
            p.user(sys.argv[2]); p.pass_(sys.argv[3])
            for i in range(1, p.stat()[0] + 1):
                print([l.decode() for l in p.top(i, 0)[1] if l.startswith(b'Subject:')][0])
            """,
            Port("Pop3s"), recipient, Password);
        Assert.Contains("Subject: over starttls", subjects.Output, StringComparison.Ordinal);
        Assert.Contains("Subject: over implicit tls", subjects.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Nodemailer_is_refused_when_it_sends_as_someone_else_and_with_a_wrong_password()
    {
        var sender = await mail.AddMailboxAsync("sender", Password);
        var victim = await mail.AddMailboxAsync("victim", Password);

        var spoofed = await ExternalClient.NodeAsync("submit.mjs", Port("Submissions"), sender, Password, victim, victim, "spoofed", "implicit-tls");
        var wrongPassword = await ExternalClient.NodeAsync("submit.mjs", Port("Submissions"), sender, "not the password at all", sender, victim, "wrong", "implicit-tls");

        Assert.Contains("refused 553", spoofed.Output, StringComparison.Ordinal);
        Assert.Contains("refused 535", wrongPassword.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Imapflow_enables_imap4rev2_and_its_searches_copies_and_utf8_folder_names_work()
    {
        var address = await mail.AddMailboxAsync("imapflow-rev2", Password);

        var result = await ExternalClient.NodeAsync("folders.mjs", Port("Imaps"), address, Password);

        Assert.True(result.ExitCode == 0, result.Error + result.Output);
        var lines = result.Output.Split('\n', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        Assert.Contains("IMAP4REV2", lines[0].Split(' '));
        // A rev2 search is answered with ESEARCH (RFC 9051 §6.4.4), which imapflow has to read back as UIDs.
        Assert.Equal(["search 2,3", "create Größe/Unterordner", "copy Größe 1,2", "list Größe | Größe/Unterordner", "status 2"], lines[1..]);
    }

    [Fact]
    public async Task Imapflow_in_idle_hears_a_delivery_at_once_and_is_disconnected_by_a_password_change()
    {
        var address = await mail.AddMailboxAsync("watcher", Password);
        using var watcher = ExternalClient.StartNode("watch.mjs", Port("Imaps"), address, Password);
        await watcher.WaitForOutputAsync(" ready ", TimeSpan.FromSeconds(30));
        await Task.Delay(500); // imapflow sends IDLE right after opening the mailbox

        var sent = await ExternalClient.NodeAsync("submit.mjs", Port("Submissions"), address, Password, address, address, "to myself", "implicit-tls");
        Assert.True(sent.ExitCode == 0, sent.Output);
        await watcher.WaitForOutputAsync(" exists 1", TimeSpan.FromSeconds(1));

        await mail.ChangePasswordAsync(address, "a brand new horse battery staple");
        await watcher.WaitForOutputAsync(" closed", TimeSpan.FromSeconds(1));
    }
}
