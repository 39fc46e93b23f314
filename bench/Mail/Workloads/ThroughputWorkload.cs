using Mailstead.Bench.Mail.Clients;
using Mailstead.Bench.Mail.Servers;

namespace Mailstead.Bench.Mail.Workloads;

/// <summary>
/// Throughput of one IMAP command at a time, which is how the goal is put ("matches Dovecot on FETCH/APPEND/SEARCH
/// throughput"): every client logs in and selects INBOX, then all of them send the same command back to back for
/// <see cref="Arguments.CommandSeconds"/>, command after command; the rate is what they completed together per second.
/// The mixed IMAP workload times a short command queued behind other clients' long ones; this one does not mix them.
/// </summary>
internal static class ThroughputWorkload
{
    /// <summary>APPEND last: the mailbox grows by what each server managed, so the commands before it see the same one.</summary>
    private static readonly string[] Commands =
    [
        "FETCH 1:* (FLAGS UID RFC822.SIZE ENVELOPE)",
        "FETCH 1:* BODY.PEEK[]",
        $"UID SEARCH SUBJECT {Content.SubjectWord}",
        $"UID SEARCH TEXT {Content.BodyWord}",
        "UID SEARCH FLAGGED",
        "NOOP",
        "APPEND",
    ];

    private const string WarmUpFolder = "WarmUp";

    public static async Task<WorkloadResult> RunAsync(IMailServer server, Workspace workspace, Arguments arguments)
    {
        var phase = TimeSpan.FromSeconds(arguments.CommandSeconds);
        var ready = 0;
        var allReady = new TaskCompletionSource<DateTime>(TaskCreationOptions.RunContinuationsAsynchronously);
        var appended = 0;

        async Task WarmUpAsync(Timings timings, int port, CancellationToken cancellationToken)
        {
            var client = await ImapClient.ConnectAsync(port, workspace.Certificate, cancellationToken).ConfigureAwait(false);
            await using (client.ConfigureAwait(false))
            {
                await client.LoginAsync(Content.Recipient, workspace.Password, cancellationToken).ConfigureAwait(false);
                await client.CommandAsync("SELECT INBOX", cancellationToken).ConfigureAwait(false);
                foreach (var command in Commands.Where(c => c != "APPEND"))
                {
                    for (var i = 0; i < arguments.WarmUp; i++)
                    {
                        await client.CommandAsync(command, cancellationToken).ConfigureAwait(false);
                    }
                }

                // APPEND warms up for a whole window, into a folder of its own so INBOX stays as it is for the timed commands:
                // its path (the database's write side, the body files) is long, and a freshly started Mailstead appended
                // at two thirds of its later rate for its first 15 s (appending into INBOX, then expunging, also slowed
                // Dovecot's later APPENDs by a third).
                await client.CommandAsync($"CREATE {WarmUpFolder}", cancellationToken).ConfigureAwait(false);
                var warm = DateTime.UtcNow + phase;
                for (var i = 0; DateTime.UtcNow < warm; i++)
                {
                    await client.AppendAsync(WarmUpFolder, Content.Message(100_000 + i), cancellationToken).ConfigureAwait(false);
                }

                await client.CommandAsync("LOGOUT", cancellationToken).ConfigureAwait(false);
            }
        }

        async Task ClientAsync(Timings timings, int port, CancellationToken cancellationToken)
        {
            var client = await ImapClient.ConnectAsync(port, workspace.Certificate, cancellationToken).ConfigureAwait(false);
            await using (client.ConfigureAwait(false))
            {
                await client.LoginAsync(Content.Recipient, workspace.Password, cancellationToken).ConfigureAwait(false);
                await client.CommandAsync("SELECT INBOX", cancellationToken).ConfigureAwait(false);
                if (Interlocked.Increment(ref ready) == arguments.Clients)
                {
                    allReady.SetResult(DateTime.UtcNow);
                }

                // Every client runs a command in the same window of time, so they never mix.
                var start = await allReady.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
                for (var i = 0; i < Commands.Length; i++)
                {
                    var end = start + (phase * (i + 1));
                    while (DateTime.UtcNow < end)
                    {
                        var command = Commands[i];
                        await timings.TimeAsync(command, command == "APPEND"
                            ? () => client.AppendAsync("INBOX", Content.Message(200_000 + Interlocked.Increment(ref appended)), cancellationToken)
                            : () => client.CommandAsync(command, cancellationToken)).ConfigureAwait(false);
                    }

                    if (end - DateTime.UtcNow is { Ticks: > 0 } rest)
                    {
                        await Task.Delay(rest, cancellationToken).ConfigureAwait(false);
                    }
                }

                await client.CommandAsync("LOGOUT", cancellationToken).ConfigureAwait(false);
            }
        }

        var result = await Load.RunAsync(
            server.Name,
            server.ImapsPort,
            arguments.Clients,
            TimeSpan.FromSeconds(arguments.Seconds),
            (timings, port, _, cancellationToken) => WarmUpAsync(timings, port, cancellationToken),
            (timings, port, _, cancellationToken) => ClientAsync(timings, port, cancellationToken)).ConfigureAwait(false);
        // Each command ran in its own window: its rate is its count over that window, not over the whole run.
        return result with { Operations = [.. result.Operations.Select(o => o with { PerSecond = o.Count / phase.TotalSeconds })] };
    }
}
