using System.Globalization;
using Mailstead.Bench.Mail;
using Mailstead.Bench.Mail.Servers;
using Mailstead.Bench.Mail.Workloads;

// Linux only: it reads /proc and starts Debian's Dovecot and Postfix.
[assembly: System.Runtime.Versioning.SupportedOSPlatform("linux")]

// Mailstead next to Dovecot (POP3, IMAP, idle memory) and Postfix (SMTP) on this machine, in one run, with the same
// mailbox, the same Argon2id hash and the same TLS certificate. See bench/README.md for what is fair and what is not.
Arguments settings;
try
{
    settings = Arguments.Parse(args);
}
catch (ArgumentException e)
{
    Console.Error.WriteLine(e.Message);
    Console.Error.WriteLine(Arguments.Usage);
    return 2;
}

if (Prerequisites.Missing() is { Count: > 0 } missing)
{
    foreach (var line in missing)
    {
        Console.Error.WriteLine(line);
    }

    return 2;
}

var culture = CultureInfo.InvariantCulture;
Console.WriteLine(string.Create(culture, $"Mailstead mail benchmark, {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC, {Environment.ProcessorCount} processors, .NET {Environment.Version}, load average {LoadAverage()}"));
Console.WriteLine($"Dovecot {(await Command.RunAsync("dovecot", ["--version"]).ConfigureAwait(false)).Trim()}; Postfix {(await Command.RunAsync("postconf", ["-d", "-h", "mail_version"]).ConfigureAwait(false)).Trim()}; Mailstead {MailsteadServer.Executable}");
Console.WriteLine(string.Create(culture, $"INBOX: {settings.Messages} messages; {settings.Clients} clients x {settings.Rounds} sessions after {settings.WarmUp} untimed ones; {settings.Appends} APPENDs per IMAP session; {settings.IdleConnections} idle connections; {settings.SmtpMessages} SMTP messages over {settings.SmtpConnections} connections; limit {settings.Seconds} s per workload and server"));

using var workspace = await Workspace.CreateAsync(settings.Messages, settings.Keep).ConfigureAwait(false);
Console.WriteLine($"Workspace: {workspace.Root}{(settings.Keep ? " (kept)" : "")}");
var needsDovecot = settings.Workloads.Overlaps([Workload.Pop3, Workload.Imap, Workload.Throughput, Workload.Idle]);
await using var mailstead = await MailsteadServer.StartAsync(workspace, settings.IdleConnections).ConfigureAwait(false);
await using var dovecot = needsDovecot ? await Dovecot.StartAsync(workspace, settings.IdleConnections).ConfigureAwait(false) : null;
await using var postfix = settings.Workloads.Contains(Workload.Smtp) ? await Postfix.StartAsync(workspace).ConfigureAwait(false) : null;

// Mailstead first, then its peer, workload by workload: both see the mailbox in the same state, since the IMAP
// APPENDs come after the POP3 downloads and the SMTP deliveries after everything else.
if (settings.Workloads.Contains(Workload.Pop3) && dovecot is not null)
{
    Report.Workload(
        string.Create(culture, $"POP3 over TLS: {settings.Clients} clients x {settings.Rounds} sessions of USER/PASS, STAT, UIDL, RETR of all {settings.Messages}, QUIT"),
        await MailboxWorkloads.Pop3Async(mailstead, workspace, settings).ConfigureAwait(false),
        await MailboxWorkloads.Pop3Async(dovecot, workspace, settings).ConfigureAwait(false));
}

if (settings.Workloads.Contains(Workload.Imap) && dovecot is not null)
{
    Report.Workload(
        string.Create(culture, $"IMAP over TLS: {settings.Clients} clients x {settings.Rounds} sessions of LOGIN, SELECT, FETCH, SEARCH, {settings.Appends} APPENDs, LOGOUT"),
        await MailboxWorkloads.ImapAsync(mailstead, workspace, settings).ConfigureAwait(false),
        await MailboxWorkloads.ImapAsync(dovecot, workspace, settings).ConfigureAwait(false));
}

if (settings.Workloads.Contains(Workload.Throughput) && dovecot is not null)
{
    Report.Throughput(
        string.Create(culture, $"IMAP over TLS, one command at a time: {settings.Clients} clients send it back to back for {settings.CommandSeconds} s"),
        await ThroughputWorkload.RunAsync(mailstead, workspace, settings).ConfigureAwait(false),
        await ThroughputWorkload.RunAsync(dovecot, workspace, settings).ConfigureAwait(false));
}

if (settings.Workloads.Contains(Workload.Idle) && dovecot is not null)
{
    Report.Idle(
        settings.IdleConnections,
        await IdleWorkload.RunAsync(mailstead, workspace, settings).ConfigureAwait(false),
        await IdleWorkload.RunAsync(dovecot, workspace, settings).ConfigureAwait(false));
}

if (postfix is not null)
{
    Report.Workload(
        string.Create(culture, $"SMTP to the MX port, plaintext: {settings.SmtpMessages} messages over {settings.SmtpConnections} connections"),
        await SmtpWorkload.RunAsync(mailstead, settings).ConfigureAwait(false),
        await SmtpWorkload.RunAsync(postfix, settings).ConfigureAwait(false));
}

Console.WriteLine();
Console.WriteLine($"Load average at the end: {LoadAverage()}");
return 0;

static string LoadAverage() => string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3));
