using Microsoft.Extensions.Logging;

namespace Mailstead.Core.Mail;

/// <summary>
/// A message for other servers, as the submission service hands it over; <see cref="SenderMailboxId"/> is null for
/// one the server writes itself (a security notice).
/// </summary>
public sealed record OutboundSubmission(long? SenderMailboxId, string EnvelopeFrom, IReadOnlyList<string> Recipients, ReadOnlyMemory<byte> Body)
{
    public bool EightBitMime { get; init; }

    public bool SmtpUtf8 { get; init; }
}

/// <summary>
/// The one owner of the outbound queue. Like <see cref="MessageStore"/>, it writes the body durably before it
/// commits the row (ARCHITECTURE.md §4), so what SMTP acknowledged is never lost; a crash in between leaves an
/// orphan body the sweeper removes. Delivery to other servers reads the queue later.
/// </summary>
public sealed class Outbox(IOutboundStore store, IBodyStore bodies, TimeProvider time, ILogger<Outbox> logger)
{
    public async Task<OutboundMessage> EnqueueAsync(OutboundSubmission submission, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(submission);
        var key = await bodies.WriteAsync(submission.Body, cancellationToken).ConfigureAwait(false);
        var now = time.GetUtcNow().UtcDateTime;
        var queued = await store.AddAsync(
            new OutboundMessage
            {
                SenderMailboxId = submission.SenderMailboxId,
                EnvelopeFrom = submission.EnvelopeFrom,
                Recipients = [.. submission.Recipients],
                BodyKey = key,
                Size = submission.Body.Length,
                EightBitMime = submission.EightBitMime,
                SmtpUtf8 = submission.SmtpUtf8,
                State = OutboundState.Queued,
                CreatedAt = now,
                NextAttemptAt = now,
            },
            cancellationToken).ConfigureAwait(false);
        logger.LogInformation("Queued outbound message {Id} from {From} for {Count} recipients, {Size} bytes", queued.Id, queued.EnvelopeFrom, queued.Recipients.Count, queued.Size);
        return queued;
    }

    public Task<IReadOnlyList<OutboundMessage>> ListAsync(OutboundState? state, CancellationToken cancellationToken) =>
        store.ListAsync(state, cancellationToken);
}
