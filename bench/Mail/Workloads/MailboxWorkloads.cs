using System.Globalization;
using Mailstead.Bench.Mail.Clients;
using Mailstead.Bench.Mail.Servers;

namespace Mailstead.Bench.Mail.Workloads;

/// <summary>
/// The reading side, over implicit TLS on both servers: each of <see cref="Arguments.Clients"/> clients runs
/// <see cref="Arguments.Rounds"/> whole sessions, from connect to logout, one after another.
/// </summary>
internal static class MailboxWorkloads
{
    /// <summary>What a POP3 client does when it downloads a mailbox (and leaves the mail on the server).</summary>
    public static Task<WorkloadResult> Pop3Async(IMailServer server, Workspace workspace, Arguments arguments)
    {
        async Task SessionAsync(Timings timings, int port, CancellationToken cancellationToken)
        {
            var client = await timings.TimeAsync("connect + TLS", () => Pop3Client.ConnectAsync(port, workspace.Certificate, cancellationToken)).ConfigureAwait(false);
            await using (client.ConfigureAwait(false))
            {
                await timings.TimeAsync("USER + PASS", async () =>
                {
                    await client.CommandAsync($"USER {Content.Recipient}", cancellationToken).ConfigureAwait(false);
                    await client.CommandAsync($"PASS {workspace.Password}", cancellationToken).ConfigureAwait(false);
                }).ConfigureAwait(false);
                var count = await timings.TimeAsync("STAT", () => client.StatAsync(cancellationToken)).ConfigureAwait(false);
                await timings.TimeAsync("UIDL", () => client.MultiLineAsync("UIDL", cancellationToken)).ConfigureAwait(false);
                for (var message = 1; message <= count; message++)
                {
                    var command = string.Create(CultureInfo.InvariantCulture, $"RETR {message}");
                    await timings.TimeAsync("RETR", () => client.MultiLineAsync(command, cancellationToken)).ConfigureAwait(false);
                }

                await timings.TimeAsync("QUIT", () => client.CommandAsync("QUIT", cancellationToken)).ConfigureAwait(false);
            }
        }

        return Load.RunAsync(
            server.Name,
            server.Pop3sPort,
            arguments.Clients,
            TimeSpan.FromSeconds(arguments.Seconds),
            async (timings, port, _, cancellationToken) =>
            {
                for (var round = 0; round < arguments.WarmUp; round++)
                {
                    await SessionAsync(timings, port, cancellationToken).ConfigureAwait(false);
                }
            },
            async (timings, port, _, cancellationToken) =>
            {
                for (var round = 0; round < arguments.Rounds; round++)
                {
                    await SessionAsync(timings, port, cancellationToken).ConfigureAwait(false);
                }
            });
    }

    /// <summary>
    /// What a desktop client does when it opens a mailbox: list it, download it, search it, save drafts. The
    /// appended messages are the same on both servers (numbered by client, round and position).
    /// </summary>
    public static Task<WorkloadResult> ImapAsync(IMailServer server, Workspace workspace, Arguments arguments)
    {
        async Task SessionAsync(Timings timings, int port, int firstAppend, CancellationToken cancellationToken)
        {
            var client = await timings.TimeAsync("connect + TLS", () => ImapClient.ConnectAsync(port, workspace.Certificate, cancellationToken)).ConfigureAwait(false);
            await using (client.ConfigureAwait(false))
            {
                await timings.TimeAsync("LOGIN", () => client.LoginAsync(Content.Recipient, workspace.Password, cancellationToken)).ConfigureAwait(false);
                foreach (var command in Commands)
                {
                    await timings.TimeAsync(command, () => client.CommandAsync(command, cancellationToken)).ConfigureAwait(false);
                }

                for (var i = 0; i < arguments.Appends; i++)
                {
                    var message = Content.Message(firstAppend + i);
                    await timings.TimeAsync("APPEND", () => client.AppendAsync("INBOX", message, cancellationToken)).ConfigureAwait(false);
                }

                await timings.TimeAsync("LOGOUT", () => client.CommandAsync("LOGOUT", cancellationToken)).ConfigureAwait(false);
            }
        }

        // Numbers above the INBOX's, one block per session; the warm-up (worker -1) takes the blocks below the first.
        var blocks = Math.Max(arguments.Rounds, arguments.WarmUp);
        int FirstAppend(int worker, int round) => 100_000 + ((((worker + 1) * blocks) + round) * arguments.Appends);
        return Load.RunAsync(
            server.Name,
            server.ImapsPort,
            arguments.Clients,
            TimeSpan.FromSeconds(arguments.Seconds),
            async (timings, port, worker, cancellationToken) =>
            {
                for (var round = 0; round < arguments.WarmUp; round++)
                {
                    await SessionAsync(timings, port, FirstAppend(worker, round), cancellationToken).ConfigureAwait(false);
                }
            },
            async (timings, port, worker, cancellationToken) =>
            {
                for (var round = 0; round < arguments.Rounds; round++)
                {
                    await SessionAsync(timings, port, FirstAppend(worker, round), cancellationToken).ConfigureAwait(false);
                }
            });
    }

    /// <summary>The commands between LOGIN and the APPENDs, each timed under its own text.</summary>
    private static readonly string[] Commands =
    [
        "SELECT INBOX",
        "FETCH 1:* (FLAGS UID RFC822.SIZE ENVELOPE)",
        "FETCH 1:* BODY.PEEK[]",
        $"UID SEARCH SUBJECT {Content.SubjectWord}",
        $"UID SEARCH TEXT {Content.BodyWord}",
        "UID SEARCH FLAGGED",
    ];
}
