using Mailstead.Core.Accounts;
using Mailstead.Core.Credentials;
using Mailstead.Core.Sessions;

namespace Mailstead.Protocols.Connections;

/// <summary>A mail client that signed in: who, and its place in the <see cref="ConnectionRegistry"/> (dispose it at the end).</summary>
public sealed record SignedIn(AuthenticatedPrincipal Principal, ConnectionRegistry.Registration Registration) : IDisposable
{
    public string Address => Principal.Owner.Login;

    public void Dispose() => Registration.Dispose();
}

/// <summary>Why a mail sign-in failed, in the words the protocol sends back (identical for unknown and known addresses).</summary>
public enum SignInFailure
{
    WrongCredentials,
    Throttled,

    /// <summary>An operator reset the password with "change at next sign-in": the temporary password opens only the web panels.</summary>
    MustChangePassword,
}

/// <summary>
/// Signs mail clients in through the one credentials service (throttling, audit, the fail2ban log line) and
/// registers the connection, so a password change or "end all sessions" closes it at once.
/// </summary>
public sealed class MailSignIn(CredentialService credentials, ConnectionRegistry registry)
{
    public const string MustChangeMessage = "The password must be changed before mail clients can use it: sign in to the webmail or the user panel first.";

    public async Task<(SignedIn? SignedIn, SignInFailure Failure, string Message)> SignInAsync(string login, string password, Surface protocol, MailConnection connection, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(connection);
        var outcome = await credentials.AuthenticateAsync(new LoginAttempt(login, password, protocol, connection.ClientAddress), cancellationToken).ConfigureAwait(false);
        if (!outcome.Succeeded)
        {
            var failure = outcome.Problem.Kind == ProblemKind.Throttled ? SignInFailure.Throttled : SignInFailure.WrongCredentials;
            return (null, failure, outcome.Problem.Message);
        }

        var principal = outcome.Value;
        if (principal.MustChange)
        {
            return (null, SignInFailure.MustChangePassword, MustChangeMessage);
        }

        var registration = registry.Register(principal.Owner, principal.Epoch, protocol, connection.ClientAddress, connection.Terminate);
        return (new SignedIn(principal, registration), default, "");
    }
}
