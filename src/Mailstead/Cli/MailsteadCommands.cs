using System.CommandLine;
using Mailstead.Control;
using Mailstead.Core.Accounts;
using Mailstead.Core.Credentials;
using Mailstead.Core.Mail;
using Mailstead.Hosting;

namespace Mailstead.Cli;

/// <summary>The command line of ARCHITECTURE.md §7. Every command acts as the person at the console (<see cref="Actor.System"/>).</summary>
internal static class MailsteadCommands
{
    private static readonly Actor Console = new Actor.System("cli");

    public static RootCommand Build(string[] configurationArgs)
    {
        var root = new RootCommand("Mailstead: mail, webmail and panels, with one password that means it.");
        var serve = new Command("serve", "Start the server (the default command).");
        serve.SetAction((_, ct) => Server.RunAsync(configurationArgs, ct));
        root.SetAction((_, ct) => Server.RunAsync(configurationArgs, ct));
        root.Add(serve);
        root.Add(DomainCommand(configurationArgs));
        root.Add(MailboxCommand(configurationArgs));
        root.Add(OperatorCommand(configurationArgs));
        root.Add(SessionCommand(configurationArgs));
        root.Add(QueueCommand(configurationArgs));
        return root;
    }

    private static Command DomainCommand(string[] configurationArgs)
    {
        var add = new Command("add", "Host a new mail domain.");
        var name = new Argument<string>("domain");
        add.Add(name);
        add.SetAction((parse, ct) => CliRun.WithServicesAsync(configurationArgs, async (services, io) =>
        {
            var added = await services.GetRequiredService<AccountService>().AddDomainAsync(Console, parse.GetRequiredValue(name), Surface.Cli, ct).ConfigureAwait(false);
            return added.Succeeded ? io.Done($"Added domain {added.Value.Name}.") : io.Fail(added.Problem);
        }, ct));

        var list = new Command("list", "List hosted domains.");
        list.SetAction((_, ct) => CliRun.WithServicesAsync(configurationArgs, async (services, io) =>
        {
            foreach (var domain in await services.GetRequiredService<AccountService>().ListDomainsAsync(Console, ct).ConfigureAwait(false))
            {
                io.Out.WriteLine(domain.Name);
            }

            return 0;
        }, ct));

        return new Command("domain", "Manage mail domains.") { add, list };
    }

    private static Command MailboxCommand(string[] configurationArgs)
    {
        var address = new Argument<string>("address");
        var passwordStdin = new Option<bool>("--password-stdin") { Description = "Read the password from the first line of standard input instead of generating one." };

        var add = new Command("add", "Create a mailbox; prints a generated password unless --password-stdin.");
        var name = new Option<string?>("--name") { Description = "Display name, e.g. \"Alice Example\"." };
        add.Add(address);
        add.Add(passwordStdin);
        add.Add(name);
        add.SetAction((parse, ct) => CliRun.WithServicesAsync(configurationArgs, async (services, io) =>
        {
            var password = parse.GetValue(passwordStdin) ? await io.ReadPasswordAsync().ConfigureAwait(false) : null;
            var request = new NewMailbox(parse.GetRequiredValue(address), parse.GetValue(name), password);
            var created = await services.GetRequiredService<AccountService>().AddMailboxAsync(Console, request, Surface.Cli, ct).ConfigureAwait(false);
            return created.Succeeded
                ? io.Done($"Created mailbox {created.Value.Account.Address}.", created.Value.GeneratedPassword)
                : io.Fail(created.Problem);
        }, ct));

        var list = new Command("list", "List mailboxes, of one domain or all.");
        var domain = new Argument<string?>("domain") { Arity = ArgumentArity.ZeroOrOne };
        list.Add(domain);
        list.SetAction((parse, ct) => CliRun.WithServicesAsync(configurationArgs, async (services, io) =>
        {
            var listed = await services.GetRequiredService<AccountService>().ListMailboxesAsync(Console, parse.GetValue(domain), ct).ConfigureAwait(false);
            if (!listed.Succeeded)
            {
                return io.Fail(listed.Problem);
            }

            foreach (var mailbox in listed.Value)
            {
                var flags = string.Join(' ', new[] { mailbox.Disabled ? "disabled" : null, mailbox.Credential.MustChange ? "must-change-password" : null }.OfType<string>());
                io.Out.WriteLine(string.Join('\t', new[] { mailbox.Address, mailbox.DisplayName ?? "", flags }).TrimEnd('\t'));
            }

            return 0;
        }, ct));

        var passwd = new Command("passwd", "Set a mailbox's password (generated unless --password-stdin); ends its sessions everywhere.");
        var mustChange = new Option<bool>("--must-change") { Description = "Require the user to choose a new password at the next sign-in." };
        passwd.Add(address);
        passwd.Add(passwordStdin);
        passwd.Add(mustChange);
        passwd.SetAction((parse, ct) => CliRun.WithServicesAsync(configurationArgs, async (services, io) =>
        {
            var password = parse.GetValue(passwordStdin) ? await io.ReadPasswordAsync().ConfigureAwait(false) : null;
            var request = new PasswordResetRequest(Console, parse.GetRequiredValue(address), password, parse.GetValue(mustChange), Surface.Cli, Client: null);
            var changed = await services.GetRequiredService<CredentialService>().ResetPasswordAsync(request, ct).ConfigureAwait(false);
            if (!changed.Succeeded)
            {
                return io.Fail(changed.Problem);
            }

            var reached = await services.GetRequiredService<ControlSocketClient>().FlushAsync(ct).ConfigureAwait(false);
            return io.Done(
                $"Password of {parse.GetRequiredValue(address).ToLowerInvariant()} changed." + (reached ? " Its open sessions in the running server were ended." : ""),
                changed.Value.GeneratedPassword);
        }, ct));

        var set = new Command("set", "Change a mailbox's recovery address: another address, told of every password change or reset.");
        var recovery = new Option<string?>("--recovery") { Description = "The recovery address, e.g. an address of the user's at another provider." };
        var noRecovery = new Option<bool>("--no-recovery") { Description = "Remove the recovery address." };
        set.Add(address);
        set.Add(recovery);
        set.Add(noRecovery);
        set.SetAction((parse, ct) => CliRun.WithServicesAsync(configurationArgs, async (services, io) =>
        {
            var given = parse.GetValue(recovery);
            if ((given is null) != parse.GetValue(noRecovery))
            {
                return io.Fail(new Problem(ProblemKind.Invalid, "Give either --recovery <address> or --no-recovery."));
            }

            var change = new RecoveryAddressChange(Console, parse.GetRequiredValue(address), given, CurrentPassword: null, Surface.Cli, Client: null);
            var changed = await services.GetRequiredService<AccountService>().SetRecoveryAddressAsync(change, ct).ConfigureAwait(false);
            if (!changed.Succeeded)
            {
                return io.Fail(changed.Problem);
            }

            var mailbox = changed.Value;
            return io.Done(mailbox.RecoveryAddress is { } now
                ? $"Recovery address of {mailbox.Address}: {now}."
                : $"{mailbox.Address} has no recovery address.");
        }, ct));

        var import = new Command("import", "Import a Dovecot or Courier Maildir into a mailbox; messages imported before are skipped.");
        var maildir = new Argument<string>("maildir") { Description = "The Maildir root (with cur/ and new/; subfolders as .Name.Sub)." };
        import.Add(address);
        import.Add(maildir);
        import.SetAction((parse, ct) => CliRun.WithServicesAsync(configurationArgs, async (services, io) =>
        {
            var imported = await services.GetRequiredService<MaildirImporter>().ImportAsync(parse.GetRequiredValue(address), parse.GetRequiredValue(maildir), ct).ConfigureAwait(false);
            if (!imported.Succeeded)
            {
                return io.Fail(imported.Problem);
            }

            var report = imported.Value;
            io.Out.WriteLine($"Imported {report.Imported} messages into {report.Folders.Count} folders ({string.Join(", ", report.Folders)}); skipped {report.Skipped} imported before.");
            if (report.Failed > 0)
            {
                return io.Fail(new Problem(ProblemKind.Denied, $"{report.Failed} messages were not imported. The first: {report.FirstFailure}"));
            }

            return 0;
        }, ct));

        return new Command("mailbox", "Manage mailboxes.") { add, list, passwd, set, import };
    }

    private static Command OperatorCommand(string[] configurationArgs)
    {
        var add = new Command("add", "Create an operator for the admin panel and API.");
        var email = new Argument<string>("email");
        var role = new Option<string>("--role") { Required = true, Description = "platform (every domain) or account (only the --domain ones)." };
        role.AcceptOnlyFromAmong("platform", "account");
        var domains = new Option<string[]>("--domain") { Description = "A domain an account administrator manages; repeat for several.", AllowMultipleArgumentsPerToken = false };
        var passwordStdin = new Option<bool>("--password-stdin") { Description = "Read the password from the first line of standard input instead of generating one." };
        add.Add(email);
        add.Add(role);
        add.Add(domains);
        add.Add(passwordStdin);
        add.SetAction((parse, ct) => CliRun.WithServicesAsync(configurationArgs, async (services, io) =>
        {
            var password = parse.GetValue(passwordStdin) ? await io.ReadPasswordAsync().ConfigureAwait(false) : null;
            var request = new NewOperator(
                parse.GetRequiredValue(email),
                parse.GetRequiredValue(role) == "platform" ? OperatorRole.PlatformAdmin : OperatorRole.AccountAdmin,
                parse.GetValue(domains) ?? [],
                password,
                MustChange: password is null);
            var created = await services.GetRequiredService<AccountService>().AddOperatorAsync(Console, request, Surface.Cli, ct).ConfigureAwait(false);
            return created.Succeeded
                ? io.Done($"Created operator {created.Value.Account.Email}.", created.Value.GeneratedPassword, mustChange: password is null)
                : io.Fail(created.Problem);
        }, ct));

        return new Command("operator", "Manage operators.") { add };
    }

    private static Command SessionCommand(string[] configurationArgs)
    {
        var kick = new Command("kick", "End every web session and mail connection of a mailbox, now.");
        var address = new Argument<string>("address");
        kick.Add(address);
        kick.SetAction((parse, ct) => CliRun.WithServicesAsync(configurationArgs, async (services, io) =>
        {
            var ended = await services.GetRequiredService<CredentialService>().EndSessionsAsync(Console, parse.GetRequiredValue(address), Surface.Cli, client: null, ct).ConfigureAwait(false);
            if (!ended.Succeeded)
            {
                return io.Fail(ended.Problem);
            }

            var reached = await services.GetRequiredService<ControlSocketClient>().FlushAsync(ct).ConfigureAwait(false);
            return io.Done(reached ? "Ended its sessions in the running server." : "No server is running on this data directory; there was nothing to end.");
        }, ct));

        return new Command("session", "Manage live sessions.") { kick };
    }

    private static Command QueueCommand(string[] configurationArgs)
    {
        var list = new Command("list", "List outbound mail waiting for other servers, oldest first.");
        list.SetAction((_, ct) => CliRun.WithServicesAsync(configurationArgs, async (services, io) =>
        {
            var queued = await services.GetRequiredService<Outbox>().ListAsync(OutboundState.Queued, ct).ConfigureAwait(false);
            foreach (var message in queued)
            {
                var from = message.EnvelopeFrom.Length == 0 ? "<>" : message.EnvelopeFrom;
                io.Out.WriteLine(FormattableString.Invariant($"{message.Id}\t{message.State}\t{message.CreatedAt:u}\t{message.Size} bytes\t{message.Attempts} attempts\t{from} -> {string.Join(", ", message.Recipients)}{(message.LastError is null ? "" : "\t" + message.LastError)}"));
            }

            io.Out.WriteLine($"{queued.Count} queued.");
            return 0;
        }, ct));

        return new Command("queue", "Inspect the outbound queue.") { list };
    }
}
