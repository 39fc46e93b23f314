using Mailstead.Core.Accounts;
using Mailstead.Core.Mail;
using Mailstead.Protocols.Connections;

namespace Mailstead.Protocols.Smtp;

/// <summary>A mailbox signed in on submission, and its place in the connection registry (disposed when the session ends).</summary>
internal sealed record SmtpUser(Mailbox Mailbox, IDisposable Registration)
{
    public string Address => Mailbox.Address;
}

internal sealed record SmtpSignInResult(SmtpUser? User, SignInFailure Failure, string Message);

/// <summary>What an SMTP session needs from the rest of Mailstead: sign-in, the accounts, delivery and the outbox.</summary>
internal interface ISmtpBackend
{
    /// <summary>The largest message accepted (<c>Mailstead:Mail:MaxMessageBytes</c>), advertised with SIZE.</summary>
    long MaxMessageBytes { get; }

    Task<SmtpSignInResult> SignInAsync(string login, string password, MailConnection connection, CancellationToken cancellationToken);

    /// <summary>Whether mail for <paramref name="domain"/> (normalised) is ours to deliver.</summary>
    Task<bool> IsLocalDomainAsync(string domain, CancellationToken cancellationToken);

    Task<Mailbox?> FindMailboxAsync(string address, CancellationToken cancellationToken);

    /// <summary>Why a message of <paramref name="size"/> bytes would not fit the mailbox now; null when it fits.</summary>
    Task<Problem?> QuotaProblemAsync(Mailbox mailbox, long size, CancellationToken cancellationToken);

    /// <summary>Stores the message durably in the mailbox's INBOX; null when done, else why not.</summary>
    Task<Problem?> DeliverAsync(Mailbox mailbox, ReadOnlyMemory<byte> message, CancellationToken cancellationToken);

    /// <summary>Queues the message durably for other servers.</summary>
    Task EnqueueAsync(OutboundSubmission submission, CancellationToken cancellationToken);
}

/// <summary>The backend over the Core services.</summary>
internal sealed class SmtpBackend(IAccountStore accounts, MessageStore messages, Outbox outbox, MailSignIn signIn, Microsoft.Extensions.Options.IOptions<MailOptions> mail) : ISmtpBackend
{
    public long MaxMessageBytes => mail.Value.MaxMessageBytes;

    public async Task<SmtpSignInResult> SignInAsync(string login, string password, MailConnection connection, CancellationToken cancellationToken)
    {
        var (signedIn, failure, message) = await signIn.SignInAsync(login, password, Surface.Smtp, connection, cancellationToken).ConfigureAwait(false);
        if (signedIn is null)
        {
            return new SmtpSignInResult(null, failure, message);
        }

        var mailbox = await accounts.FindMailboxAsync(signedIn.Address, cancellationToken).ConfigureAwait(false);
        if (mailbox is null)
        {
            // Deleted between the password check and now: as if the credentials were wrong.
            signedIn.Dispose();
            return new SmtpSignInResult(null, SignInFailure.WrongCredentials, "");
        }

        return new SmtpSignInResult(new SmtpUser(mailbox, signedIn), default, "");
    }

    public async Task<bool> IsLocalDomainAsync(string domain, CancellationToken cancellationToken) =>
        await accounts.FindDomainAsync(domain, cancellationToken).ConfigureAwait(false) is not null;

    public Task<Mailbox?> FindMailboxAsync(string address, CancellationToken cancellationToken) =>
        accounts.FindMailboxAsync(address, cancellationToken);

    public Task<Problem?> QuotaProblemAsync(Mailbox mailbox, long size, CancellationToken cancellationToken) =>
        messages.QuotaProblemAsync(mailbox, size, cancellationToken);

    public async Task<Problem?> DeliverAsync(Mailbox mailbox, ReadOnlyMemory<byte> message, CancellationToken cancellationToken)
    {
        var delivered = await messages.DeliverAsync(mailbox, new NewMessage(message), createFolder: false, cancellationToken).ConfigureAwait(false);
        return delivered.Problem;
    }

    public Task EnqueueAsync(OutboundSubmission submission, CancellationToken cancellationToken) => outbox.EnqueueAsync(submission, cancellationToken);
}
