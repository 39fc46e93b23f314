using Mailstead.Core.Mail;

namespace Mailstead.Hosting;

/// <summary>
/// Once an hour, deletes message bodies no message names (a crash between body and metadata, a deleted mailbox).
/// Only files older than an hour: a delivery in flight has written its body but not yet committed its row.
/// </summary>
internal sealed class BodySweeper(MessageStore messages, ILogger<BodySweeper> logger) : BackgroundService
{
    private static readonly TimeSpan Interval = TimeSpan.FromHours(1);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Interval);
        while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false))
        {
            try
            {
                await messages.SweepOrphansAsync(Interval, stoppingToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                logger.LogError(ex, "Sweeping orphan message bodies failed; will try again in an hour");
            }
        }
    }
}
