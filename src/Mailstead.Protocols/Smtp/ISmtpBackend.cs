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

/// <summary>What an SMTP session needs from the rest of Mailstead: sign-in, and the submission pipeline that owns every rule about taking mail in.</summary>
internal interface ISmtpBackend
{
    MailSubmission Submission { get; }

    Task<SmtpSignInResult> SignInAsync(string login, string password, MailConnection connection, CancellationToken cancellationToken);
}

/// <summary>The backend over the Core services.</summary>
internal sealed class SmtpBackend(IAccountStore accounts, MailSubmission submission, MailSignIn signIn) : ISmtpBackend
{
    public MailSubmission Submission => submission;

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
}
