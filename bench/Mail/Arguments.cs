using System.Globalization;

namespace Mailstead.Bench.Mail;

internal enum Workload
{
    Pop3,
    Imap,
    Throughput,
    Idle,
    Smtp,
}

/// <summary>Every count is bounded, and every workload also stops starting new work after <see cref="Seconds"/>.</summary>
internal sealed record Arguments(
    IReadOnlySet<Workload> Workloads,
    int Messages,
    int Clients,
    int Rounds,
    int WarmUp,
    int Appends,
    int CommandSeconds,
    int IdleConnections,
    int IdleSeconds,
    int SmtpConnections,
    int SmtpMessages,
    int Seconds,
    bool Keep)
{
    public const string Usage = """
        Options (all optional):
          --workloads=pop3,imap,throughput,idle,smtp  which workloads to run, in this order (default: all)
          --messages=N          messages in INBOX before the run, the same Maildir for every server (default 200)
          --clients=N           concurrent IMAP and POP3 clients (default 4)
          --rounds=N            sessions each client runs, LOGIN to LOGOUT (default 3)
          --warm-up=N           untimed IMAP and POP3 sessions run first, one after another (default 30)
          --append=N            messages each IMAP session APPENDs (default 5)
          --command-seconds=N   how long all clients send each command in the throughput workload (default 5)
          --idle=N              authenticated IMAP connections held in IDLE for the memory measurement (default 5000)
          --idle-seconds=N      time limit for opening them, per server (default 600: Dovecot forks a process for each)
          --smtp-connections=N  concurrent SMTP connections (default 4)
          --smtp-messages=N     messages sent over SMTP in total (default 1000)
          --seconds=N           time limit per workload and server, the idle one aside (default 120)
          --keep                keep the temporary directory (configuration, logs, mail) for a look afterwards
        """;

    public static Arguments Parse(string[] args)
    {
        var result = new Arguments(Enum.GetValues<Workload>().ToHashSet(), 200, 4, 3, 30, 5, 5, 5000, 600, 4, 1000, 120, false);
        foreach (var arg in args)
        {
            if (arg == "--keep")
            {
                result = result with { Keep = true };
                continue;
            }

            var parts = arg.Split('=', 2);
            if (parts.Length != 2)
            {
                throw new ArgumentException($"Expected --name=value, got '{arg}'.");
            }

            result = parts[0] switch
            {
                "--workloads" => result with { Workloads = parts[1].Split(',').Select(ParseWorkload).ToHashSet() },
                "--messages" => result with { Messages = Positive(parts) },
                "--clients" => result with { Clients = Positive(parts) },
                "--rounds" => result with { Rounds = Positive(parts) },
                "--warm-up" => result with { WarmUp = Positive(parts) },
                "--append" => result with { Appends = Positive(parts) },
                "--command-seconds" => result with { CommandSeconds = Positive(parts) },
                "--idle" => result with { IdleConnections = Positive(parts) },
                "--idle-seconds" => result with { IdleSeconds = Positive(parts) },
                "--smtp-connections" => result with { SmtpConnections = Positive(parts) },
                "--smtp-messages" => result with { SmtpMessages = Positive(parts) },
                "--seconds" => result with { Seconds = Positive(parts) },
                _ => throw new ArgumentException($"Unknown argument '{parts[0]}'."),
            };
        }

        return result;
    }

    private static Workload ParseWorkload(string name) =>
        Enum.TryParse<Workload>(name, ignoreCase: true, out var workload) && Enum.IsDefined(workload)
            ? workload
            : throw new ArgumentException($"Unknown workload '{name}': use pop3, imap, throughput, idle or smtp.");

    private static int Positive(string[] parts) =>
        int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var value) && value > 0
            ? value
            : throw new ArgumentException($"{parts[0]} needs a positive whole number, got '{parts[1]}'.");
}
