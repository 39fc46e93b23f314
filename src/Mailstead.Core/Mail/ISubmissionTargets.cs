using Mailstead.Core.Accounts;
using Microsoft.Extensions.Options;

namespace Mailstead.Core.Mail;

/// <summary>
/// Where <see cref="MailSubmission"/> looks recipients up and puts messages: the accounts, the message store and the
/// outbox. One seam, so the protocol tests can drive the real submission rules without a database.
/// </summary>
public interface ISubmissionTargets
{
    /// <summary>The largest message accepted (<c>Mailstead:Mail:MaxMessageBytes</c>).</summary>
    long MaxMessageBytes { get; }

    /// <summary>Recipients one message may have (<c>Mailstead:Mail:MaxRecipients</c>).</summary>
    int MaxRecipients { get; }

    /// <summary>The mailbox address postmaster mail goes to when the domain has no postmaster (<c>Mailstead:Mail:Postmaster</c>).</summary>
    string? Postmaster { get; }

    /// <summary>Whether mail for <paramref name="domain"/> (normalised) is ours to deliver.</summary>
    Task<bool> IsLocalDomainAsync(string domain, CancellationToken cancellationToken);

    Task<Mailbox?> FindMailboxAsync(string address, CancellationToken cancellationToken);

    /// <summary>Why a message of <paramref name="size"/> bytes would not fit the mailbox now; null when it fits.</summary>
    Task<Problem?> QuotaProblemAsync(Mailbox mailbox, long size, CancellationToken cancellationToken);

    /// <summary>Stores the message durably in the mailbox's INBOX.</summary>
    Task<Outcome<Appended>> DeliverAsync(Mailbox mailbox, ReadOnlyMemory<byte> message, CancellationToken cancellationToken);

    /// <summary>Stores the sender's copy, seen, in the mailbox's Sent folder (the one with the \Sent special use).</summary>
    Task<Outcome<Appended>> StoreSentAsync(Mailbox mailbox, ReadOnlyMemory<byte> message, CancellationToken cancellationToken);

    /// <summary>Queues the message durably for other servers.</summary>
    Task EnqueueAsync(OutboundSubmission submission, CancellationToken cancellationToken);
}

/// <summary>The targets over the Core services: the account store, <see cref="MessageStore"/> and <see cref="Outbox"/>.</summary>
internal sealed class StoreSubmissionTargets(IAccountStore accounts, MessageStore messages, Outbox outbox, IOptions<MailOptions> mail) : ISubmissionTargets
{
    public long MaxMessageBytes => mail.Value.MaxMessageBytes;

    public int MaxRecipients => mail.Value.MaxRecipients;

    public string? Postmaster => mail.Value.Postmaster;

    public async Task<bool> IsLocalDomainAsync(string domain, CancellationToken cancellationToken) =>
        await accounts.FindDomainAsync(domain, cancellationToken).ConfigureAwait(false) is not null;

    public Task<Mailbox?> FindMailboxAsync(string address, CancellationToken cancellationToken) =>
        accounts.FindMailboxAsync(address, cancellationToken);

    public Task<Problem?> QuotaProblemAsync(Mailbox mailbox, long size, CancellationToken cancellationToken) =>
        messages.QuotaProblemAsync(mailbox, size, cancellationToken);

    public Task<Outcome<Appended>> DeliverAsync(Mailbox mailbox, ReadOnlyMemory<byte> message, CancellationToken cancellationToken) =>
        messages.DeliverAsync(mailbox, new NewMessage(message), createFolder: false, cancellationToken);

    public async Task<Outcome<Appended>> StoreSentAsync(Mailbox mailbox, ReadOnlyMemory<byte> message, CancellationToken cancellationToken)
    {
        var sent = await messages.SpecialFolderAsync(mailbox.Id, SpecialUse.Sent, cancellationToken).ConfigureAwait(false);
        return await messages.DeliverAsync(mailbox, new NewMessage(message) { Folder = sent.Name, Flags = MessageFlags.Of(SystemFlags.Seen) }, createFolder: true, cancellationToken).ConfigureAwait(false);
    }

    public Task EnqueueAsync(OutboundSubmission submission, CancellationToken cancellationToken) => outbox.EnqueueAsync(submission, cancellationToken);
}
