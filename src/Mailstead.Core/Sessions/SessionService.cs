using System.Net;
using System.Security.Cryptography;
using System.Text;
using Mailstead.Core.Accounts;
using Microsoft.Extensions.Options;

namespace Mailstead.Core.Sessions;

/// <summary>Configuration section <c>Mailstead:Sessions</c> (OWASP ASVS 5.0 §7.3: idle and absolute timeouts).</summary>
public sealed record SessionOptions
{
    public const string Section = "Mailstead:Sessions";

    public TimeSpan IdleTimeout { get; init; } = TimeSpan.FromMinutes(30);

    public TimeSpan AbsoluteTimeout { get; init; } = TimeSpan.FromHours(12);
}

/// <summary>The token goes into the cookie, once; the session is what is stored.</summary>
public sealed record IssuedSession(string Token, WebSession Session);

/// <summary>A session that is still good, with what its owner must do first.</summary>
public sealed record ActiveSession(WebSession Session, bool MustChangePassword)
{
    public CredentialOwner Owner => new(Session.OwnerKind, Session.Login);
}

/// <summary>
/// Web sessions of every surface. A session is good only while it is within its timeouts and its owner's
/// credential epoch is the one it was created under, so a password change on any node ends it at its next request.
/// </summary>
public sealed class SessionService
{
    // Touching the row at every request would turn reads into writes; a minute is fine for "last seen".
    private static readonly TimeSpan TouchEvery = TimeSpan.FromMinutes(1);

    private readonly ISessionStore _sessions;
    private readonly IAccountStore _accounts;
    private readonly TimeProvider _time;
    private readonly SessionOptions _options;

    public SessionService(ISessionStore sessions, IAccountStore accounts, TimeProvider time, IOptions<SessionOptions> options)
    {
        _sessions = sessions;
        _accounts = accounts;
        _time = time;
        _options = options.Value;
    }

    public SessionOptions Options => _options;

    /// <summary>A new session with a fresh random token (256 bits): ids are never reused or carried over from before sign-in.</summary>
    public async Task<IssuedSession> StartAsync(CredentialOwner owner, long epoch, Surface surface, IPAddress? client, string? userAgent, CancellationToken cancellationToken)
    {
        var token = Base64Url(RandomNumberGenerator.GetBytes(32));
        var now = Now;
        var session = new WebSession
        {
            TokenHash = Hash(token),
            OwnerKind = owner.Kind,
            Login = owner.Login,
            Epoch = epoch,
            Surface = surface,
            ClientAddress = client?.ToString(),
            UserAgent = userAgent is { Length: > 256 } ? userAgent[..256] : userAgent,
            CreatedAt = now,
            LastSeenAt = now,
            ExpiresAt = now + _options.AbsoluteTimeout,
        };
        await _sessions.AddAsync(session, cancellationToken).ConfigureAwait(false);
        return new IssuedSession(token, session);
    }

    /// <summary>The session behind a cookie token, or null when it is unknown, expired, or its owner's credential moved on.</summary>
    public async Task<ActiveSession?> ValidateAsync(string? token, CancellationToken cancellationToken)
    {
        if (string.IsNullOrEmpty(token) || token.Length > 128)
        {
            return null;
        }

        var session = await _sessions.FindAsync(Hash(token), cancellationToken).ConfigureAwait(false);
        return session is null ? null : await ValidateAsync(session, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The session with this id if it is still good (a sign-in handoff checks the session that issued it).</summary>
    internal async Task<ActiveSession?> ValidateAsync(long sessionId, CancellationToken cancellationToken)
    {
        var session = await _sessions.FindByIdAsync(sessionId, cancellationToken).ConfigureAwait(false);
        return session is null ? null : await ValidateAsync(session, cancellationToken).ConfigureAwait(false);
    }

    private async Task<ActiveSession?> ValidateAsync(WebSession session, CancellationToken cancellationToken)
    {
        var now = Now;
        var owner = new CredentialOwner(session.OwnerKind, session.Login);
        var credential = await CurrentCredentialAsync(owner, cancellationToken).ConfigureAwait(false);
        if (now >= session.ExpiresAt || now - session.LastSeenAt >= _options.IdleTimeout || credential is null || credential.Epoch != session.Epoch)
        {
            await _sessions.DeleteAsync(owner, session.Id, cancellationToken).ConfigureAwait(false);
            return null;
        }

        if (now - session.LastSeenAt >= TouchEvery)
        {
            session.LastSeenAt = now;
            await _sessions.TouchAsync(session.Id, now, cancellationToken).ConfigureAwait(false);
        }

        return new ActiveSession(session, credential.MustChange);
    }

    public Task<IReadOnlyList<WebSession>> ListAsync(CredentialOwner owner, CancellationToken cancellationToken) =>
        _sessions.ListAsync(owner, cancellationToken);

    /// <summary>A mailbox's sessions as an operator (or the mailbox's user) may see them.</summary>
    public async Task<Outcome<IReadOnlyList<WebSession>>> ListForAsync(Actor actor, string address, CancellationToken cancellationToken)
    {
        var permitted = IsSelf(actor, address) ? EmailAddress.Parse(address) : AccountService.PermittedAddress(actor, address);
        if (!permitted.Succeeded)
        {
            return permitted.Problem;
        }

        var sessions = await _sessions.ListAsync(new CredentialOwner(CredentialOwnerKind.Mailbox, permitted.Value.Value), cancellationToken).ConfigureAwait(false);
        return Outcome.Success(sessions);
    }

    public Task<bool> EndAsync(CredentialOwner owner, long sessionId, CancellationToken cancellationToken) =>
        _sessions.DeleteAsync(owner, sessionId, cancellationToken);

    public Task<int> EndOthersAsync(CredentialOwner owner, long currentSessionId, CancellationToken cancellationToken) =>
        _sessions.DeleteAllAsync(owner, currentSessionId, cancellationToken);

    public Task<int> EndAllAsync(CredentialOwner owner, CancellationToken cancellationToken) =>
        _sessions.DeleteAllAsync(owner, exceptId: null, cancellationToken);

    public Task<int> DeleteExpiredAsync(CancellationToken cancellationToken) =>
        _sessions.DeleteExpiredAsync(Now, Now - _options.IdleTimeout, cancellationToken);

    public static string Hash(string token) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(token)));

    private DateTime Now => _time.GetUtcNow().UtcDateTime;

    private async Task<Credential?> CurrentCredentialAsync(CredentialOwner owner, CancellationToken cancellationToken)
    {
        if (owner.Kind == CredentialOwnerKind.Operator)
        {
            var op = await _accounts.FindOperatorAsync(owner.Login, cancellationToken).ConfigureAwait(false);
            return op is { Disabled: false } ? op.Credential : null;
        }

        var mailbox = await _accounts.FindMailboxAsync(owner.Login, cancellationToken).ConfigureAwait(false);
        return mailbox is { Disabled: false } ? mailbox.Credential : null;
    }

    private static bool IsSelf(Actor actor, string address) =>
        actor is Actor.MailboxUser user && EmailAddress.TryParse(address, out var parsed, out _) && parsed.Value == user.Address;

    internal static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
