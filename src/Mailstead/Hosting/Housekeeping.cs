using Mailstead.Core.Mail;
using Mailstead.Core.Sessions;

namespace Mailstead.Hosting;

/// <summary>
/// Once an hour: deletes message bodies no message names (a crash between body and metadata, a deleted mailbox), only
/// files older than an hour, since a delivery in flight has written its body but not yet committed its row; and
/// deletes web sessions that have expired or sat idle past the timeout (they can no longer be used, only listed).
/// </summary>
internal sealed class Housekeeping(MessageStore messages, SessionService sessions, ILogger<Housekeeping> logger) : BackgroundService
{
    private static readonly TimeSpan Interval = TimeSpan.FromHours(1);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Interval);
        while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false))
        {
            await RunAsync("Sweeping orphan message bodies", () => messages.SweepOrphansAsync(Interval, stoppingToken)).ConfigureAwait(false);
            await RunAsync("Deleting expired web sessions", () => sessions.DeleteExpiredAsync(stoppingToken)).ConfigureAwait(false);
        }
    }

    // One chore failing (the database away for a moment) must not stop the other, nor the next hour's.
    private async Task RunAsync(string chore, Func<Task<int>> work)
    {
        try
        {
            var removed = await work().ConfigureAwait(false);
            logger.LogDebug("{Chore}: {Removed} removed", chore, removed);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            logger.LogError(ex, "{Chore} failed; will try again in an hour", chore);
        }
    }
}
