using System.Net;
using Mailstead.Core.Accounts;
using Mailstead.Core.Audit;
using Mailstead.Core.Credentials.Hashing;
using Mailstead.Core.Sessions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Mailstead.Core.Credentials;

/// <summary>
/// The one owner of passwords (ARCHITECTURE.md §2): every surface signs in, changes and resets through here,
/// and nothing else writes a hash. A change commits the hash, the epoch bump and the audit event together,
/// then publishes a <see cref="Revocation"/> so every session and connection of the owner ends.
/// </summary>
public sealed class CredentialService
{
    private const string WrongCredentials = "The address or password is not correct.";
    private const string WrongCurrentPassword = "The current password is not correct.";

    private readonly IAccountStore _store;
    private readonly ISessionStore _sessions;
    private readonly PasswordHasher _hasher;
    private readonly LoginThrottle _throttle;
    private readonly VerifiedCredentialCache _cache;
    private readonly RevocationHub _revocations;
    private readonly IPasswordChangeNotifier _notifier;
    private readonly PasswordPolicyOptions _platformPolicy;
    private readonly TimeProvider _time;
    private readonly ILogger<CredentialService> _logger;

    public CredentialService(
        IAccountStore store,
        ISessionStore sessions,
        PasswordHasher hasher,
        LoginThrottle throttle,
        VerifiedCredentialCache cache,
        RevocationHub revocations,
        IPasswordChangeNotifier notifier,
        IOptions<PasswordPolicyOptions> platformPolicy,
        TimeProvider time,
        ILogger<CredentialService> logger)
    {
        _store = store;
        _sessions = sessions;
        _hasher = hasher;
        _throttle = throttle;
        _cache = cache;
        _revocations = revocations;
        _notifier = notifier;
        _platformPolicy = platformPolicy.Value;
        _time = time;
        _logger = logger;
    }

    /// <summary>
    /// The sign-in entry point for every surface. Unknown, disabled and wrong-password attempts get the same
    /// answer after the same work, and all count towards throttling.
    /// </summary>
    public async Task<Outcome<AuthenticatedPrincipal>> AuthenticateAsync(LoginAttempt attempt, CancellationToken cancellationToken)
    {
        var decision = _throttle.Check(attempt.Login, attempt.Client);
        if (decision.Blocked)
        {
            LogFailure(attempt, "throttled");
            return new Problem(ProblemKind.Throttled, $"Too many failed sign-ins. Try again in {Math.Ceiling(decision.RetryAfter.TotalMinutes)} minutes.");
        }

        if (decision.Delay > TimeSpan.Zero)
        {
            await Task.Delay(decision.Delay, _time, cancellationToken).ConfigureAwait(false);
        }

        var kind = attempt.Surface.SignsInOperators() ? CredentialOwnerKind.Operator : CredentialOwnerKind.Mailbox;
        var password = PasswordText.Normalize(attempt.Password);
        var holder = EmailAddress.TryParse(attempt.Login, out var address, out _)
            ? await LoadAsync(new CredentialOwner(kind, address.Value), cancellationToken).ConfigureAwait(false)
            : null;

        if (holder is null || holder.Disabled)
        {
            await _hasher.SimulateVerifyAsync(password, cancellationToken).ConfigureAwait(false);
            return await FailSignInAsync(attempt, holder, holder is null ? "unknown login" : "disabled", cancellationToken).ConfigureAwait(false);
        }

        var verified = await VerifyAsync(holder, password, cancellationToken).ConfigureAwait(false);
        if (verified == HashVerification.Mismatch)
        {
            return await FailSignInAsync(attempt, holder, "wrong password", cancellationToken).ConfigureAwait(false);
        }

        _throttle.RecordSuccess(attempt.Login, attempt.Client);
        if (verified == HashVerification.MatchNeedsRehash)
        {
            await UpgradeHashAsync(holder, password, attempt, cancellationToken).ConfigureAwait(false);
        }

        await _store.AppendAuditAsync(Audit(holder.Owner.Login, holder, AuditAction.SignIn, AuditOutcome.Success, attempt.Surface, attempt.Client), cancellationToken).ConfigureAwait(false);
        return new AuthenticatedPrincipal(holder.Owner, holder.Credential.Epoch, holder.Credential.MustChange);
    }

    /// <summary>Self-service change: current password, new password and its confirmation.</summary>
    public async Task<Outcome<PasswordChanged>> ChangeOwnPasswordAsync(PasswordChangeRequest request, CancellationToken cancellationToken)
    {
        var begun = await BeginOwnPasswordCheckAsync(request.Owner, request.Client, cancellationToken).ConfigureAwait(false);
        if (!begun.Succeeded)
        {
            return begun.Problem;
        }

        var (holder, decision) = begun.Value;

        // An operator's "change at next sign-in" must be satisfiable even where self-service is switched off.
        if (!holder.SelfServiceEnabled && !holder.Credential.MustChange)
        {
            return new Problem(ProblemKind.SelfServiceDisabled, "Passwords of this domain are changed by its administrator.")
            {
                AdminContact = holder.AdminContact,
            };
        }

        var current = PasswordText.Normalize(request.CurrentPassword);
        var candidate = PasswordText.Normalize(request.NewPassword);
        var report = holder.Policy.Check(candidate, holder.PolicyContext(current));
        var fields = new Dictionary<string, string>();
        if (!report.Passed)
        {
            fields[PasswordFields.New] = "The new password does not meet every requirement.";
        }

        if (!string.Equals(candidate, PasswordText.Normalize(request.Confirmation), StringComparison.Ordinal))
        {
            fields[PasswordFields.Confirmation] = "The two new passwords are not the same.";
        }

        if (!await CurrentPasswordMatchesAsync(holder, current, decision, AuditAction.PasswordChange, request.Surface, request.Client, cancellationToken).ConfigureAwait(false))
        {
            fields[PasswordFields.Current] = WrongCurrentPassword;
        }

        if (fields.Count > 0)
        {
            return new Problem(report.Passed ? ProblemKind.Invalid : ProblemKind.PolicyFailed, fields.Values.First())
            {
                Fields = fields,
                Policy = report,
            };
        }

        _throttle.RecordSuccess(request.Owner.Login, request.Client);
        return await ReplaceAsync(holder, candidate, generated: null, mustChange: false, holder.Owner.Login, AuditAction.PasswordChange, request.Surface, request.Client, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// A signed-in user proving it is them before a security setting changes (the recovery address): the current
    /// password, throttled, counted and audited (under <see cref="PasswordConfirmation.Action"/>) exactly like the one
    /// <see cref="ChangeOwnPasswordAsync"/> asks for.
    /// </summary>
    public async Task<Outcome<CredentialOwner>> ConfirmPasswordAsync(PasswordConfirmation request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var begun = await BeginOwnPasswordCheckAsync(request.Owner, request.Client, cancellationToken).ConfigureAwait(false);
        if (!begun.Succeeded)
        {
            return begun.Problem;
        }

        var (holder, decision) = begun.Value;

        if (!await CurrentPasswordMatchesAsync(holder, PasswordText.Normalize(request.Password), decision, request.Action, request.Surface, request.Client, cancellationToken).ConfigureAwait(false))
        {
            return new Problem(ProblemKind.Invalid, WrongCurrentPassword)
            {
                Fields = new Dictionary<string, string> { [PasswordFields.Current] = WrongCurrentPassword },
            };
        }

        _throttle.RecordSuccess(request.Owner.Login, request.Client);
        return holder.Owner;
    }

    /// <summary>An operator's reset: no current password, permission over the mailbox's domain checked here.</summary>
    public async Task<Outcome<PasswordChanged>> ResetPasswordAsync(PasswordResetRequest request, CancellationToken cancellationToken)
    {
        if (!EmailAddress.TryParse(request.Address, out var address, out var error))
        {
            return new Problem(ProblemKind.Invalid, error);
        }

        // Permission first, from the address alone, so a refusal says nothing about whether the mailbox exists.
        if (!request.Actor.CanManageDomain(address.Domain))
        {
            await _store.AppendAuditAsync(
                new AuditEvent
                {
                    At = Now,
                    Action = AuditAction.PasswordReset,
                    Outcome = AuditOutcome.Denied,
                    Actor = request.Actor.Name,
                    Target = address.Value,
                    Domain = address.Domain,
                    Surface = request.Surface,
                    ClientAddress = request.Client?.ToString(),
                    Detail = $"no permission over {address.Domain}",
                },
                cancellationToken).ConfigureAwait(false);
            _logger.LogWarning("Password reset denied: actor={Actor} target={Target} surface={Surface}", request.Actor.Name, address.Value, request.Surface);
            return new Problem(ProblemKind.Denied, $"You may not manage mailboxes of {address.Domain}.");
        }

        var holder = await LoadAsync(new CredentialOwner(CredentialOwnerKind.Mailbox, address.Value), cancellationToken).ConfigureAwait(false);
        if (holder is null)
        {
            return new Problem(ProblemKind.NotFound, $"There is no mailbox {address.Value}.");
        }

        var generated = request.NewPassword is null ? PasswordGenerator.Generate(holder.Policy, holder.PolicyContext(null)) : null;
        var candidate = PasswordText.Normalize(request.NewPassword ?? generated!);
        var sameAsCurrent = await VerifyAsync(holder, candidate, cancellationToken).ConfigureAwait(false) != HashVerification.Mismatch;
        var report = holder.Policy.Check(candidate, holder.PolicyContext(null), sameAsCurrent);
        if (!report.Passed)
        {
            return new Problem(ProblemKind.PolicyFailed, "The new password does not meet every requirement.")
            {
                Fields = new Dictionary<string, string> { [PasswordFields.New] = "The new password does not meet every requirement." },
                Policy = report,
            };
        }

        return await ReplaceAsync(holder, candidate, generated, request.MustChange, request.Actor.Name, AuditAction.PasswordReset, request.Surface, request.Client, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Ends every session and connection of a mailbox without changing its password.</summary>
    public async Task<Outcome<long>> EndSessionsAsync(Actor actor, string address, Surface surface, IPAddress? client, CancellationToken cancellationToken)
    {
        if (!EmailAddress.TryParse(address, out var parsed, out var error))
        {
            return new Problem(ProblemKind.Invalid, error);
        }

        var isSelf = actor is Actor.MailboxUser user && user.Address == parsed.Value;
        if (!isSelf && !actor.CanManageDomain(parsed.Domain))
        {
            return new Problem(ProblemKind.Denied, $"You may not manage mailboxes of {parsed.Domain}.");
        }

        var holder = await LoadAsync(new CredentialOwner(CredentialOwnerKind.Mailbox, parsed.Value), cancellationToken).ConfigureAwait(false);
        if (holder is null)
        {
            return new Problem(ProblemKind.NotFound, $"There is no mailbox {parsed.Value}.");
        }

        await _store.AppendAuditAsync(Audit(actor.Name, holder, AuditAction.SessionsEnded, AuditOutcome.Success, surface, client), cancellationToken).ConfigureAwait(false);
        await _sessions.DeleteAllAsync(holder.Owner, exceptId: null, cancellationToken).ConfigureAwait(false);
        _cache.Forget(holder.Owner.Login);
        _revocations.Publish(new Revocation(holder.Owner, holder.Credential.Epoch, RevocationReason.SessionsEnded));
        return holder.Credential.Epoch;
    }

    /// <summary>The live checklist: each criterion for a candidate, as the server will judge it on submit.</summary>
    public async Task<Outcome<PolicyReport>> CheckAsync(CredentialOwner owner, string candidate, string? currentPassword, CancellationToken cancellationToken)
    {
        var holder = await LoadAsync(owner, cancellationToken).ConfigureAwait(false);
        if (holder is null)
        {
            return new Problem(ProblemKind.NotFound, "No such account.");
        }

        var context = holder.PolicyContext(currentPassword is null ? null : PasswordText.Normalize(currentPassword));
        return holder.Policy.Check(PasswordText.Normalize(candidate), context);
    }

    public async Task<Outcome<string>> GenerateAsync(CredentialOwner owner, CancellationToken cancellationToken)
    {
        var holder = await LoadAsync(owner, cancellationToken).ConfigureAwait(false);
        return holder is null
            ? new Problem(ProblemKind.NotFound, "No such account.")
            : PasswordGenerator.Generate(holder.Policy, holder.PolicyContext(null));
    }

    /// <summary>What a password page needs to know about an account: its policy, and whether the user may change it.</summary>
    public async Task<CredentialSettings?> SettingsForAsync(CredentialOwner owner, CancellationToken cancellationToken)
    {
        var holder = await LoadAsync(owner, cancellationToken).ConfigureAwait(false);
        return holder is null
            ? null
            : new CredentialSettings(holder.Policy, holder.SelfServiceEnabled || holder.Credential.MustChange, holder.AdminContact, holder.Credential.MustChange, holder.DisplayName);
    }

    /// <summary>The policy in force for a new mailbox of <paramref name="domain"/> (null: an operator).</summary>
    public PasswordPolicy PolicyFor(Domain? domain) => PasswordPolicy.Create(_platformPolicy, domain?.PolicyOverrides);

    /// <summary>The first credential of a new mailbox or operator; callers store it with the account.</summary>
    public async Task<Outcome<IssuedCredential>> IssueAsync(PasswordPolicy policy, PolicyContext context, string? password, bool mustChange, CancellationToken cancellationToken)
    {
        var generated = password is null ? PasswordGenerator.Generate(policy, context) : null;
        var candidate = PasswordText.Normalize(password ?? generated!);
        var report = policy.Check(candidate, context);
        if (!report.Passed)
        {
            return new Problem(ProblemKind.PolicyFailed, "The password does not meet every requirement.") { Policy = report };
        }

        var credential = new Credential
        {
            PasswordHash = await _hasher.HashAsync(candidate, cancellationToken).ConfigureAwait(false),
            Epoch = 1,
            MustChange = mustChange,
            ChangedAt = Now,
        };
        return new IssuedCredential(credential, generated);
    }

    private DateTime Now => _time.GetUtcNow().UtcDateTime;

    private async Task<Outcome<PasswordChanged>> ReplaceAsync(
        Holder holder,
        string password,
        string? generated,
        bool mustChange,
        string actor,
        AuditAction action,
        Surface surface,
        IPAddress? client,
        CancellationToken cancellationToken)
    {
        var hash = await _hasher.HashAsync(password, cancellationToken).ConfigureAwait(false);
        var audit = Audit(actor, holder, action, AuditOutcome.Success, surface, client, mustChange ? "must change at next sign-in" : null);
        var committed = await _store.TryReplaceCredentialAsync(holder.Owner, hash, mustChange, holder.Credential.Epoch, audit, cancellationToken).ConfigureAwait(false);
        if (!committed)
        {
            return new Problem(ProblemKind.Conflict, "The password was changed elsewhere a moment ago. Reload and try again.");
        }

        var epoch = holder.Credential.Epoch + 1;
        _cache.Forget(holder.Owner.Login);
        // The epoch check already ends them at their next request; deleting them keeps the session lists true.
        await _sessions.DeleteAllAsync(holder.Owner, exceptId: null, cancellationToken).ConfigureAwait(false);
        _logger.LogInformation("Password {Action}: target={Target} actor={Actor} surface={Surface} epoch={Epoch}", action, holder.Owner.Login, actor, surface, epoch);
        _revocations.Publish(new Revocation(holder.Owner, epoch, RevocationReason.PasswordChanged));
        // Committed: the notice must go even if the caller gives up now (a browser that closes the connection at once
        // must not keep the owner from hearing), and the notifier logs what it cannot deliver instead of failing.
        var notice = new PasswordChangeNotice(holder.Owner, action == AuditAction.PasswordChange, actor, surface, client, audit.At, mustChange, holder.AdminContact)
        {
            RecoveryAddress = holder.RecoveryAddress,
        };
        await _notifier.NotifyAsync(notice, CancellationToken.None).ConfigureAwait(false);
        return new PasswordChanged(epoch, generated);
    }

    // The throttle first (a blocked login is refused before any work), then the account, which must still be there.
    private async Task<Outcome<(Holder Holder, ThrottleDecision Decision)>> BeginOwnPasswordCheckAsync(CredentialOwner owner, IPAddress? client, CancellationToken cancellationToken)
    {
        var decision = _throttle.Check(owner.Login, client);
        if (decision.Blocked)
        {
            return new Problem(ProblemKind.Throttled, $"Too many wrong passwords. Try again in {Math.Ceiling(decision.RetryAfter.TotalMinutes)} minutes.");
        }

        var holder = await LoadAsync(owner, cancellationToken).ConfigureAwait(false);
        return holder is null || holder.Disabled
            ? new Problem(ProblemKind.NotFound, "This account no longer exists or is disabled.")
            : (holder, decision);
    }

    // A wrong current password is a failed sign-in: it waits as the throttle says, feeds the same throttle
    // (ARCHITECTURE.md §2), and is audited under the action it was asked for.
    private async Task<bool> CurrentPasswordMatchesAsync(Holder holder, string current, ThrottleDecision decision, AuditAction action, Surface surface, IPAddress? client, CancellationToken cancellationToken)
    {
        if (decision.Delay > TimeSpan.Zero)
        {
            await Task.Delay(decision.Delay, _time, cancellationToken).ConfigureAwait(false);
        }

        if (await VerifyAsync(holder, current, cancellationToken).ConfigureAwait(false) != HashVerification.Mismatch)
        {
            return true;
        }

        _throttle.RecordFailure(holder.Owner.Login, client);
        LogFailure(new LoginAttempt(holder.Owner.Login, "", surface, client), "wrong current password");
        await _store.AppendAuditAsync(Audit(holder.Owner.Login, holder, action, AuditOutcome.Failure, surface, client, "wrong current password"), cancellationToken).ConfigureAwait(false);
        return false;
    }

    private async Task<HashVerification> VerifyAsync(Holder holder, string password, CancellationToken cancellationToken)
    {
        var credential = holder.Credential;
        if (_cache.Matches(holder.Owner.Login, password, credential.PasswordHash, credential.Epoch))
        {
            return HashVerification.Match;
        }

        var result = await _hasher.VerifyAsync(password, credential.PasswordHash, cancellationToken).ConfigureAwait(false);
        if (result == HashVerification.Match)
        {
            _cache.Remember(holder.Owner.Login, password, credential.PasswordHash, credential.Epoch);
        }

        return result;
    }

    private async Task UpgradeHashAsync(Holder holder, string password, LoginAttempt attempt, CancellationToken cancellationToken)
    {
        var hash = await _hasher.HashAsync(password, cancellationToken).ConfigureAwait(false);
        if (await _store.TryUpgradeHashAsync(holder.Owner, hash, holder.Credential.Epoch, cancellationToken).ConfigureAwait(false))
        {
            await _store.AppendAuditAsync(Audit("system", holder, AuditAction.PasswordRehash, AuditOutcome.Success, attempt.Surface, attempt.Client, "stored hash upgraded to Argon2id"), cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task<Outcome<AuthenticatedPrincipal>> FailSignInAsync(LoginAttempt attempt, Holder? holder, string reason, CancellationToken cancellationToken)
    {
        _throttle.RecordFailure(attempt.Login, attempt.Client);
        LogFailure(attempt, reason);
        var address = EmailAddress.TryParse(attempt.Login, out var parsed, out _) ? parsed : null;
        var target = holder?.Owner.Login ?? address?.Value;
        await _store.AppendAuditAsync(
            new AuditEvent
            {
                At = Now,
                Action = AuditAction.SignIn,
                Outcome = AuditOutcome.Failure,
                Actor = target ?? "unknown",
                Target = target,
                Domain = holder?.Domain ?? address?.Domain,
                Surface = attempt.Surface,
                ClientAddress = attempt.Client?.ToString(),
                Detail = reason,
            },
            cancellationToken).ConfigureAwait(false);
        return new Problem(ProblemKind.Invalid, WrongCredentials);
    }

    // A fixed shape for fail2ban: "authentication failed: surface=<s> client=<ip> login=<login> reason=<r>".
    private void LogFailure(LoginAttempt attempt, string reason) =>
        _logger.LogWarning(
            "authentication failed: surface={Surface} client={Client} login={Login} reason={Reason}",
            attempt.Surface.ToString().ToLowerInvariant(),
            attempt.Client?.ToString() ?? "local",
            LogSafe(attempt.Login),
            reason);

    // Logins come from the network: keep control characters out of log lines (log injection).
    private static string LogSafe(string value) =>
        string.Concat(value.Take(256).Select(c => char.IsControl(c) || c == ' ' ? '?' : c));

    private AuditEvent Audit(string actor, Holder holder, AuditAction action, AuditOutcome outcome, Surface surface, IPAddress? client, string? detail = null) => new()
    {
        At = Now,
        Action = action,
        Outcome = outcome,
        Actor = actor,
        Target = holder.Owner.Login,
        Domain = holder.Domain,
        Surface = surface,
        ClientAddress = client?.ToString(),
        Detail = detail,
    };

    private async Task<Holder?> LoadAsync(CredentialOwner owner, CancellationToken cancellationToken)
    {
        if (owner.Kind == CredentialOwnerKind.Operator)
        {
            var op = await _store.FindOperatorAsync(owner.Login, cancellationToken).ConfigureAwait(false);
            return op is null
                ? null
                : new Holder(owner, op.Credential, op.Disabled, Domain: null, DisplayName: null, SelfServiceEnabled: true, AdminContact: null, PolicyFor(null), RecoveryAddress: null);
        }

        var mailbox = await _store.FindMailboxAsync(owner.Login, cancellationToken).ConfigureAwait(false);
        if (mailbox is null)
        {
            return null;
        }

        var address = EmailAddress.Parse(mailbox.Address);
        var domain = await _store.FindDomainAsync(address.Domain, cancellationToken).ConfigureAwait(false);
        return new Holder(
            owner,
            mailbox.Credential,
            mailbox.Disabled,
            address.Domain,
            mailbox.DisplayName,
            domain?.SelfServiceEnabled ?? true,
            domain?.AdminContact,
            PolicyFor(domain),
            mailbox.RecoveryAddress);
    }

    /// <summary>A mailbox or an operator, seen as the owner of one credential.</summary>
    private sealed record Holder(
        CredentialOwner Owner,
        Credential Credential,
        bool Disabled,
        string? Domain,
        string? DisplayName,
        bool SelfServiceEnabled,
        string? AdminContact,
        PasswordPolicy Policy,
        string? RecoveryAddress)
    {
        public PolicyContext PolicyContext(string? currentPassword) =>
            new(EmailAddress.Parse(Owner.Login), DisplayName, currentPassword);
    }
}
