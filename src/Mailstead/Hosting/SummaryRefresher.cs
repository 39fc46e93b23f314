using Mailstead.Core.Mail;

namespace Mailstead.Hosting;

/// <summary>
/// Once at start: decodes the list summaries of messages stored before subjects and senders were decoded at
/// delivery (MessageStore.RefreshStoredSummariesAsync), so the webmail sorts them by what it shows. After the
/// first run it finds nothing to do.
/// </summary>
internal sealed class SummaryRefresher(MessageStore messages, ILogger<SummaryRefresher> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            var changed = await messages.RefreshStoredSummariesAsync(stoppingToken).ConfigureAwait(false);
            if (changed > 0)
            {
                logger.LogInformation("Decoded the subject and sender of {Count} messages stored before they were decoded at delivery", changed);
            }
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            logger.LogError(ex, "Decoding stored message summaries failed; the webmail shows them decoded but sorts them as stored");
        }
    }
}
