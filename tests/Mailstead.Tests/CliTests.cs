namespace Mailstead.Tests;

public sealed class CliTests : IDisposable
{
    private const string StrongPassword = "correct horse battery staple 42";
    private readonly MailsteadProcess _mailstead = new();

    public void Dispose() => _mailstead.Dispose();

    [Fact]
    public async Task A_domain_and_a_mailbox_are_created_and_the_password_is_set_from_stdin()
    {
        var domain = await _mailstead.RunAsync("domain add Example.TEST");
        Assert.Equal(0, domain.ExitCode);
        Assert.Contains("Added domain example.test", domain.Output, StringComparison.Ordinal);

        var mailbox = await _mailstead.RunAsync("mailbox add alice@example.test --name \"Alice Liddell\"");
        Assert.Equal(0, mailbox.ExitCode);
        Assert.Matches(@"Password: \S{12,}", mailbox.Output);

        var passwd = await _mailstead.RunAsync("mailbox passwd alice@example.test --password-stdin", StrongPassword + "\n");
        Assert.Equal(0, passwd.ExitCode);
        Assert.Contains("Password of alice@example.test changed", passwd.Output, StringComparison.Ordinal);
        Assert.DoesNotContain(StrongPassword, passwd.Output, StringComparison.Ordinal);

        var list = await _mailstead.RunAsync("mailbox list example.test");
        Assert.Equal("alice@example.test\tAlice Liddell", list.Output.Trim());
        Assert.Equal("example.test", (await _mailstead.RunAsync("domain list")).Output.Trim());
        Assert.True(File.Exists(Path.Combine(_mailstead.DataDirectory, "mailstead.db")));
    }

    [Fact]
    public async Task A_generated_password_is_printed_once_and_never_again()
    {
        await _mailstead.RunAsync("domain add example.test");
        var created = await _mailstead.RunAsync("mailbox add bob@example.test");
        var password = created.Output.Split('\n').Single(l => l.StartsWith("Password: ", StringComparison.Ordinal))["Password: ".Length..].Trim();

        var list = await _mailstead.RunAsync("mailbox list");
        Assert.DoesNotContain(password, list.Output, StringComparison.Ordinal);
        Assert.DoesNotContain(password, File.ReadAllText(Path.Combine(_mailstead.DataDirectory, "mailstead.db"), System.Text.Encoding.Latin1), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_mailbox_of_an_unknown_domain_is_refused_with_what_to_do()
    {
        var result = await _mailstead.RunAsync("mailbox add alice@nowhere.test");

        Assert.Equal(3, result.ExitCode);
        Assert.Contains("mailstead domain add nowhere.test", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_duplicate_mailbox_is_refused()
    {
        await _mailstead.RunAsync("domain add example.test");
        await _mailstead.RunAsync("mailbox add alice@example.test");

        var result = await _mailstead.RunAsync("mailbox add ALICE@example.test");

        Assert.Equal(4, result.ExitCode);
        Assert.Contains("exists already", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_password_that_fails_the_policy_is_refused_with_each_failed_criterion()
    {
        await _mailstead.RunAsync("domain add example.test");

        var result = await _mailstead.RunAsync("mailbox add alice@example.test --password-stdin", "alice\n");

        Assert.Equal(6, result.ExitCode);
        Assert.Contains("✗ At least 12 characters", result.Error, StringComparison.Ordinal);
        Assert.Contains("✗", result.Error.Split('\n')[2], StringComparison.Ordinal); // more than one criterion listed
        Assert.Equal("", (await _mailstead.RunAsync("mailbox list")).Output);
    }

    [Fact]
    public async Task A_recovery_address_is_set_and_removed_and_the_address_that_stops_hearing_gets_a_queued_notice()
    {
        await _mailstead.RunAsync("domain add example.test");
        await _mailstead.RunAsync("mailbox add alice@example.test");

        var set = await _mailstead.RunAsync("mailbox set alice@example.test --recovery Alice@Home.Example");
        var itself = await _mailstead.RunAsync("mailbox set alice@example.test --recovery ALICE@example.test");
        var neither = await _mailstead.RunAsync("mailbox set alice@example.test");
        var both = await _mailstead.RunAsync("mailbox set alice@example.test --recovery x@home.example --no-recovery");
        var unknown = await _mailstead.RunAsync("mailbox set bob@example.test --no-recovery");
        var removed = await _mailstead.RunAsync("mailbox set alice@example.test --no-recovery");
        var queue = await _mailstead.RunAsync("queue list");

        Assert.Equal((0, "Recovery address of alice@example.test: alice@home.example."), (set.ExitCode, set.Output.Trim()));
        Assert.Equal(2, itself.ExitCode);
        Assert.Contains("another address than the mailbox's own", itself.Error, StringComparison.Ordinal);
        Assert.Equal(2, neither.ExitCode);
        Assert.Contains("Give either --recovery <address> or --no-recovery.", neither.Error, StringComparison.Ordinal);
        Assert.Equal(2, both.ExitCode);
        Assert.Equal(3, unknown.ExitCode);
        Assert.Equal((0, "alice@example.test has no recovery address."), (removed.ExitCode, removed.Output.Trim()));
        // The address that stops hearing is told, from the null reverse-path (no bounce comes back for a notice).
        Assert.Contains("\t<> -> alice@home.example", queue.Output, StringComparison.Ordinal);
        Assert.Contains("1 queued.", queue.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_malformed_address_is_refused_with_the_reason()
    {
        var result = await _mailstead.RunAsync("mailbox passwd not-an-address");

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("is not an email address", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_account_administrator_needs_a_hosted_domain()
    {
        var result = await _mailstead.RunAsync("operator add owner@example.test --role account --domain example.test");
        Assert.Equal(3, result.ExitCode);

        await _mailstead.RunAsync("domain add example.test");
        var created = await _mailstead.RunAsync("operator add owner@example.test --role account --domain example.test");
        Assert.Equal(0, created.ExitCode);
        Assert.Contains("must be changed at the first sign-in", created.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_maildir_is_imported_with_counts_and_a_second_run_skips_what_is_there()
    {
        var maildir = Path.Combine(_mailstead.DataDirectory, "..", Path.GetFileName(_mailstead.DataDirectory) + "-maildir");
        try
        {
            foreach (var (folder, name) in new[] { ("cur", "1.M1P1.host:2,S"), ("new", "2.M2P1.host"), (".Work/cur", "3.M3P1.host:2,F") })
            {
                Directory.CreateDirectory(Path.Combine(maildir, folder));
                await File.WriteAllTextAsync(Path.Combine(maildir, folder, name), $"Subject: {name}\n\nbody\n");
            }

            await File.WriteAllTextAsync(Path.Combine(maildir, "dovecot-uidlist"), "3 V1 N4\n");
            await _mailstead.RunAsync("domain add example.test");
            await _mailstead.RunAsync("mailbox add alice@example.test");

            var first = await _mailstead.RunAsync($"mailbox import alice@example.test \"{maildir}\"");
            var second = await _mailstead.RunAsync($"mailbox import alice@example.test \"{maildir}\"");
            var unknown = await _mailstead.RunAsync($"mailbox import bob@example.test \"{maildir}\"");
            var missing = await _mailstead.RunAsync($"mailbox import alice@example.test \"{maildir}-gone\"");

            Assert.Equal(0, first.ExitCode);
            Assert.Contains("Imported 3 messages into 2 folders (INBOX, Work); skipped 0", first.Output, StringComparison.Ordinal);
            Assert.Equal(0, second.ExitCode);
            Assert.Contains("Imported 0 messages into 2 folders (INBOX, Work); skipped 3", second.Output, StringComparison.Ordinal);
            Assert.Equal(3, unknown.ExitCode);
            Assert.Contains("There is no mailbox bob@example.test", unknown.Error, StringComparison.Ordinal);
            Assert.Equal(2, missing.ExitCode);
            Assert.Contains("does not exist", missing.Error, StringComparison.Ordinal);
            Assert.Equal(3, Directory.EnumerateFiles(Path.Combine(_mailstead.DataDirectory, "mail"), "*", SearchOption.AllDirectories).Count());
        }
        finally
        {
            if (Directory.Exists(maildir))
            {
                Directory.Delete(maildir, recursive: true);
            }
        }
    }
}
