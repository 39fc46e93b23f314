using System.Net;
using System.Security.Cryptography;
using Mailstead.Core.Accounts;
using Mailstead.Core.Audit;
using Microsoft.Extensions.Logging;

namespace Mailstead.Core.Sessions;

/// <summary>The token goes into the link the browser follows, once; it is good until <see cref="ExpiresAt"/>.</summary>
public sealed record IssuedHandoff(string Token, DateTime ExpiresAt);

/// <summary>Who the redeemed token signs in, under which credential epoch (to start the new surface's session with).</summary>
public sealed record RedeemedHandoff(CredentialOwner Owner, long Epoch, bool MustChangePassword);

/// <summary>
/// Single sign-on from the webmail into the user panel (the User Settings menu entry). The webmail issues a token
/// bound to its session; the panel redeems it once, within <see cref="Lifetime"/>, and only while the issuing session
/// is still good: not signed out, not timed out, and its mailbox's credential epoch unchanged (a password change or
/// "log me out from everywhere" kills every pending token with the session). Tokens are random 256-bit values;
/// only their SHA-256 is stored. Issue and redeem are in the security log like other sign-ins.
/// </summary>
public sealed class SignInHandoffService(ISignInHandoffStore handoffs, SessionService sessions, IAccountStore accounts, TimeProvider time, ILogger<SignInHandoffService> logger)
{
    public static readonly TimeSpan Lifetime = TimeSpan.FromSeconds(60);

    // Used and expired rows stay a while so a replay is told apart from a made-up token in the log.
    private static readonly TimeSpan KeepAfterExpiry = TimeSpan.FromHours(1);

    /// <summary>What every refused redemption says (the user panel's sign-in page shows it too).</summary>
    public const string Refused = "This sign-in link is no longer valid. Sign in with your address and password.";

    /// <summary>Issues a token for <paramref name="target"/> from a signed-in webmail session of a mailbox.</summary>
    public async Task<Outcome<IssuedHandoff>> IssueAsync(ActiveSession issuer, Surface target, IPAddress? client, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(issuer);
        var session = issuer.Session;
        if (session.OwnerKind != CredentialOwnerKind.Mailbox || session.Surface != Surface.Webmail || target != Surface.UserPanel)
        {
            return new Problem(ProblemKind.Denied, "Single sign-on goes from the webmail to the user panel only.");
        }

        var now = time.GetUtcNow().UtcDateTime;
        await handoffs.DeleteExpiredAsync(now - KeepAfterExpiry, cancellationToken).ConfigureAwait(false);
        var token = SessionService.Base64Url(RandomNumberGenerator.GetBytes(32));
        var handoff = new SignInHandoff
        {
            TokenHash = SessionService.Hash(token),
            SessionId = session.Id,
            Login = session.Login,
            TargetSurface = target,
            CreatedAt = now,
            ExpiresAt = now + Lifetime,
        };
        await handoffs.AddAsync(handoff, cancellationToken).ConfigureAwait(false);
        await AuditAsync(AuditAction.SignInHandoffIssued, AuditOutcome.Success, session.Login, Surface.Webmail, client, $"for the {Describe(target)}", cancellationToken).ConfigureAwait(false);
        return new IssuedHandoff(token, handoff.ExpiresAt);
    }

    /// <summary>
    /// Uses the token up and says whom it signs in on <paramref name="surface"/>. Unknown, replayed, expired, wrong-surface
    /// tokens and tokens whose session has ended all get the same answer.
    /// </summary>
    public async Task<Outcome<RedeemedHandoff>> RedeemAsync(string? token, Surface surface, IPAddress? client, CancellationToken cancellationToken)
    {
        if (string.IsNullOrEmpty(token) || token.Length > 128)
        {
            return new Problem(ProblemKind.Invalid, Refused);
        }

        var now = time.GetUtcNow().UtcDateTime;
        var (handoff, consumed) = await handoffs.ConsumeAsync(SessionService.Hash(token), now, cancellationToken).ConfigureAwait(false);
        if (handoff is null)
        {
            logger.LogWarning("single sign-on refused: surface={Surface} client={Client} reason=unknown token", surface.ToString().ToLowerInvariant(), client?.ToString() ?? "local");
            return new Problem(ProblemKind.Invalid, Refused);
        }

        var reason = !consumed ? "single sign-on link used twice"
            : now >= handoff.ExpiresAt ? "single sign-on link expired"
            : handoff.TargetSurface != surface ? $"single sign-on link for the {Describe(handoff.TargetSurface)}"
            : null;
        var issuer = reason is null ? await sessions.ValidateAsync(handoff.SessionId, cancellationToken).ConfigureAwait(false) : null;
        if (reason is null && (issuer is null || issuer.Session.Login != handoff.Login || issuer.Session.OwnerKind != CredentialOwnerKind.Mailbox))
        {
            reason = "single sign-on from a session that has ended";
        }

        if (reason is not null)
        {
            logger.LogWarning("single sign-on refused: surface={Surface} client={Client} login={Login} reason={Reason}", surface.ToString().ToLowerInvariant(), client?.ToString() ?? "local", handoff.Login, reason);
            await AuditAsync(AuditAction.SignIn, AuditOutcome.Failure, handoff.Login, surface, client, reason, cancellationToken).ConfigureAwait(false);
            return new Problem(ProblemKind.Invalid, Refused);
        }

        await AuditAsync(AuditAction.SignIn, AuditOutcome.Success, handoff.Login, surface, client, "single sign-on from the webmail", cancellationToken).ConfigureAwait(false);
        return new RedeemedHandoff(issuer!.Owner, issuer.Session.Epoch, issuer.MustChangePassword);
    }

    private Task AuditAsync(AuditAction action, AuditOutcome outcome, string login, Surface surface, IPAddress? client, string detail, CancellationToken cancellationToken) =>
        accounts.AppendAuditAsync(
            new AuditEvent
            {
                At = time.GetUtcNow().UtcDateTime,
                Action = action,
                Outcome = outcome,
                Actor = login,
                Target = login,
                Domain = EmailAddress.TryParse(login, out var address, out _) ? address.Domain : null,
                Surface = surface,
                ClientAddress = client?.ToString(),
                Detail = detail,
            },
            cancellationToken);

    private static string Describe(Surface surface) => surface == Surface.UserPanel ? "user panel" : surface.ToString();
}
