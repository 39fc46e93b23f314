using System.Diagnostics;
using Mailstead.Bench.Mail.Clients;
using Mailstead.Bench.Mail.Servers;

namespace Mailstead.Bench.Mail.Workloads;

/// <summary>
/// Mail arriving at the MX for the local mailbox: <see cref="Arguments.SmtpConnections"/> connections share
/// <see cref="Arguments.SmtpMessages"/> messages, one transaction after another on each. A server that queues
/// before delivering (Postfix) gets one more row: the rate until the last message is in the Maildir.
/// </summary>
internal static class SmtpWorkload
{
    public const string Operation = "MAIL..DATA..250";
    private const int DistinctMessages = 100;
    private const int WarmUpMessages = 20;

    public static async Task<WorkloadResult> RunAsync(IMailServer server, Arguments arguments)
    {
        var messages = Enumerable.Range(200_000, DistinctMessages).Select(n => SmtpClient.DotStuff(Content.Message(n))).ToArray();
        int sent = 0, delivered = 0;
        var clock = new Stopwatch();

        // One connection of the run: it sends until the shared count is reached. The warm-up sends WarmUpMessages.
        async Task ConnectionAsync(Timings timings, int port, Func<bool> more, CancellationToken cancellationToken)
        {
            var client = await timings.TimeAsync("connect + EHLO", () => SmtpClient.ConnectAsync(port, cancellationToken)).ConfigureAwait(false);
            await using (client.ConfigureAwait(false))
            {
                for (var next = 0; more(); next++)
                {
                    var message = messages[next % DistinctMessages];
                    await timings.TimeAsync(Operation, () => client.SendAsync("sender@example.org", Content.Recipient, message, cancellationToken)).ConfigureAwait(false);
                }

                await client.QuitAsync(cancellationToken).ConfigureAwait(false);
            }
        }

        var warmUpLeft = WarmUpMessages;
        var result = await Load.RunAsync(
            server.Name,
            server.SmtpPort,
            arguments.SmtpConnections,
            TimeSpan.FromSeconds(arguments.Seconds),
            async (timings, port, _, cancellationToken) =>
            {
                await ConnectionAsync(timings, port, () => warmUpLeft-- > 0, cancellationToken).ConfigureAwait(false);
                // Counting starts when the warm-up's messages are in, and so does the delivery clock.
                while (server.DeliveredCount() is { } count && count < WarmUpMessages && !cancellationToken.IsCancellationRequested)
                {
                    await Task.Delay(20, cancellationToken).ConfigureAwait(false);
                }

                delivered = server.DeliveredCount() ?? 0;
                clock.Start();
            },
            (timings, port, _, cancellationToken) => ConnectionAsync(timings, port, () => Interlocked.Increment(ref sent) <= arguments.SmtpMessages, cancellationToken)).ConfigureAwait(false);

        var accepted = result.Operations.FirstOrDefault(o => o.Name == Operation)?.Count ?? 0;
        if (server.DeliveredCount() is null || accepted == 0)
        {
            return result;
        }

        var deadline = TimeSpan.FromSeconds(arguments.Seconds);
        while (server.DeliveredCount() < delivered + accepted && clock.Elapsed < deadline)
        {
            await Task.Delay(20).ConfigureAwait(false);
        }

        var arrived = server.DeliveredCount()!.Value - delivered;
        var delivery = new OperationStats("delivered into the Maildir", arrived, arrived / clock.Elapsed.TotalSeconds, double.NaN, double.NaN);
        return result with { Operations = [.. result.Operations, delivery] };
    }
}
