using System.Net;
using Mailstead.Core.Audit;
using Mailstead.Core.Credentials;

namespace Mailstead.Core.Accounts;

public sealed record NewMailbox(string Address, string? DisplayName, string? Password, bool MustChange = false);

public sealed record NewOperator(string Email, OperatorRole Role, IReadOnlyList<string> Domains, string? Password, bool MustChange);

/// <summary>
/// A new recovery address for the mailbox <see cref="Address"/>; null or blank removes it. The mailbox's own user
/// gives <see cref="CurrentPassword"/>; an operator with permission over the domain does not.
/// </summary>
public sealed record RecoveryAddressChange(Actor Actor, string Address, string? RecoveryAddress, string? CurrentPassword, Surface Surface, IPAddress? Client);

/// <summary>Form field names of mailbox settings used in <see cref="Problem.Fields"/>.</summary>
public static class MailboxFields
{
    public const string RecoveryAddress = "recoveryAddress";
}

/// <summary>The mailbox or operator created, and its password when the server generated it (shown once).</summary>
public sealed record Created<T>(T Account, string? GeneratedPassword);

/// <summary>
/// Domains, mailboxes and operators. Every method takes the acting <see cref="Actor"/> and checks its
/// permission here, so the panels, the API and the CLI share one set of rules. Passwords go through
/// <see cref="CredentialService"/>.
/// </summary>
public sealed class AccountService
{
    private readonly IAccountStore _store;
    private readonly CredentialService _credentials;
    private readonly IPasswordChangeNotifier _notifier;
    private readonly TimeProvider _time;

    public AccountService(IAccountStore store, CredentialService credentials, IPasswordChangeNotifier notifier, TimeProvider time)
    {
        _store = store;
        _credentials = credentials;
        _notifier = notifier;
        _time = time;
    }

    public async Task<Outcome<Domain>> AddDomainAsync(Actor actor, string name, Surface surface, CancellationToken cancellationToken)
    {
        if (!actor.IsPlatformAdmin)
        {
            return new Problem(ProblemKind.Denied, "Only a platform administrator may add domains.");
        }

        if (!DomainName.TryNormalize(name, out var normalized, out var error))
        {
            return new Problem(ProblemKind.Invalid, char.ToUpperInvariant(error[0]) + error[1..]);
        }

        var domain = new Domain { Name = normalized, CreatedAt = Now };
        var added = await _store.TryAddDomainAsync(domain, Audit(actor, AuditAction.DomainCreated, normalized, normalized, surface), cancellationToken).ConfigureAwait(false);
        return added ? domain : new Problem(ProblemKind.Duplicate, $"The domain {normalized} exists already.");
    }

    /// <summary>The domains the actor may manage, by name.</summary>
    public async Task<IReadOnlyList<Domain>> ListDomainsAsync(Actor actor, CancellationToken cancellationToken)
    {
        var all = await _store.ListDomainsAsync(cancellationToken).ConfigureAwait(false);
        return [.. all.Where(d => actor.CanManageDomain(d.Name)).OrderBy(d => d.Name, StringComparer.Ordinal)];
    }

    public async Task<Outcome<Created<Mailbox>>> AddMailboxAsync(Actor actor, NewMailbox request, Surface surface, CancellationToken cancellationToken)
    {
        if (!EmailAddress.TryParse(request.Address, out var address, out var error))
        {
            return new Problem(ProblemKind.Invalid, error);
        }

        if (!actor.CanManageDomain(address.Domain))
        {
            return new Problem(ProblemKind.Denied, $"You may not manage mailboxes of {address.Domain}.");
        }

        var domain = await _store.FindDomainAsync(address.Domain, cancellationToken).ConfigureAwait(false);
        if (domain is null)
        {
            return new Problem(ProblemKind.NotFound, $"The domain {address.Domain} is not hosted here. Add it first (mailstead domain add {address.Domain}).");
        }

        if (await _store.FindMailboxAsync(address.Value, cancellationToken).ConfigureAwait(false) is not null)
        {
            return new Problem(ProblemKind.Duplicate, $"The mailbox {address.Value} exists already.");
        }

        var displayName = string.IsNullOrWhiteSpace(request.DisplayName) ? null : request.DisplayName.Trim();
        var issued = await _credentials.IssueAsync(
            _credentials.PolicyFor(domain),
            new PolicyContext(address, displayName, CurrentPassword: null),
            request.Password,
            request.MustChange,
            cancellationToken).ConfigureAwait(false);
        if (!issued.Succeeded)
        {
            return issued.Problem;
        }

        var mailbox = new Mailbox
        {
            Address = address.Value,
            DomainId = domain.Id,
            DisplayName = displayName,
            Credential = issued.Value.Credential,
            CreatedAt = Now,
        };
        var added = await _store.TryAddMailboxAsync(mailbox, Audit(actor, AuditAction.MailboxCreated, address.Value, address.Domain, surface), cancellationToken).ConfigureAwait(false);
        return added
            ? new Created<Mailbox>(mailbox, issued.Value.GeneratedPassword)
            : new Problem(ProblemKind.Duplicate, $"The mailbox {address.Value} exists already.");
    }

    /// <summary>Mailboxes the actor may manage, optionally of one domain, by address.</summary>
    public async Task<Outcome<IReadOnlyList<Mailbox>>> ListMailboxesAsync(Actor actor, string? domain, CancellationToken cancellationToken)
    {
        string? normalized = null;
        if (domain is not null)
        {
            if (!DomainName.TryNormalize(domain, out var name, out var error))
            {
                return new Problem(ProblemKind.Invalid, error);
            }

            if (!actor.CanManageDomain(name))
            {
                return new Problem(ProblemKind.Denied, $"You may not manage mailboxes of {name}.");
            }

            if (await _store.FindDomainAsync(name, cancellationToken).ConfigureAwait(false) is null)
            {
                return new Problem(ProblemKind.NotFound, $"The domain {name} is not hosted here.");
            }

            normalized = name;
        }

        var mailboxes = await _store.ListMailboxesAsync(normalized, cancellationToken).ConfigureAwait(false);
        return Listed<Mailbox>(mailboxes.Where(m => actor.CanManageDomain(EmailAddress.Parse(m.Address).Domain)).ToList());
    }

    /// <summary>A page of the mailboxes the actor may manage, optionally of one domain and containing some text.</summary>
    public async Task<Outcome<MailboxPage>> SearchMailboxesAsync(Actor actor, string? domain, string? text, int page, int pageSize, CancellationToken cancellationToken)
    {
        string? normalized = null;
        if (!string.IsNullOrWhiteSpace(domain))
        {
            if (!DomainName.TryNormalize(domain, out var name, out var error))
            {
                return new Problem(ProblemKind.Invalid, error);
            }

            if (!actor.CanManageDomain(name))
            {
                return new Problem(ProblemKind.Denied, $"You may not manage mailboxes of {name}.");
            }

            normalized = name;
        }

        var size = Math.Clamp(pageSize, 1, 200);
        var search = new MailboxSearch
        {
            Domains = actor.IsPlatformAdmin ? null : ManagedDomains(actor),
            Domain = normalized,
            Text = text,
            Skip = Math.Max(0, page - 1) * size,
            Take = size,
        };
        return await _store.SearchMailboxesAsync(search, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>One mailbox, if the actor may manage it (a refusal does not say whether it exists).</summary>
    public async Task<Outcome<Mailbox>> FindMailboxAsync(Actor actor, string address, CancellationToken cancellationToken)
    {
        var permitted = PermittedAddress(actor, address);
        if (!permitted.Succeeded)
        {
            return permitted.Problem;
        }

        var mailbox = await _store.FindMailboxAsync(permitted.Value.Value, cancellationToken).ConfigureAwait(false);
        return mailbox is null ? new Problem(ProblemKind.NotFound, $"There is no mailbox {permitted.Value.Value}.") : mailbox;
    }

    /// <summary>Disables or enables a mailbox. Disabling ends its sessions and connections at once.</summary>
    public async Task<Outcome<Mailbox>> SetMailboxDisabledAsync(Actor actor, string address, bool disabled, Surface surface, System.Net.IPAddress? client, CancellationToken cancellationToken)
    {
        var found = await FindMailboxAsync(actor, address, cancellationToken).ConfigureAwait(false);
        if (!found.Succeeded)
        {
            return found;
        }

        var mailbox = found.Value;
        mailbox.Disabled = disabled;
        var parsed = EmailAddress.Parse(mailbox.Address);
        var audit = Audit(actor, AuditAction.MailboxUpdated, mailbox.Address, parsed.Domain, surface);
        audit.Detail = disabled ? "disabled" : "enabled";
        audit.ClientAddress = client?.ToString();
        if (disabled)
        {
            await _credentials.EndSessionsAsync(actor, mailbox.Address, surface, client, cancellationToken).ConfigureAwait(false);
        }

        return await _store.UpdateMailboxAsync(mailbox, audit, cancellationToken).ConfigureAwait(false)
            ? mailbox
            : new Problem(ProblemKind.NotFound, $"There is no mailbox {mailbox.Address}.");
    }

    /// <summary>Deletes a mailbox after ending its sessions and connections.</summary>
    public async Task<Outcome<string>> DeleteMailboxAsync(Actor actor, string address, Surface surface, System.Net.IPAddress? client, CancellationToken cancellationToken)
    {
        var found = await FindMailboxAsync(actor, address, cancellationToken).ConfigureAwait(false);
        if (!found.Succeeded)
        {
            return found.Problem;
        }

        var target = found.Value.Address;
        await _credentials.EndSessionsAsync(actor, target, surface, client, cancellationToken).ConfigureAwait(false);
        var audit = Audit(actor, AuditAction.MailboxDeleted, target, EmailAddress.Parse(target).Domain, surface);
        audit.ClientAddress = client?.ToString();
        return await _store.DeleteMailboxAsync(target, audit, cancellationToken).ConfigureAwait(false)
            ? target
            : new Problem(ProblemKind.NotFound, $"There is no mailbox {target}.");
    }

    /// <summary>The mailbox, for its own user or an operator who may manage it: what its recovery address page shows.</summary>
    public async Task<Outcome<Mailbox>> FindMailboxForRecoveryAsync(Actor actor, string address, CancellationToken cancellationToken)
    {
        var permitted = RecoveryPermitted(actor, address);
        if (!permitted.Succeeded)
        {
            return permitted.Problem;
        }

        var target = permitted.Value.Address.Value;
        var mailbox = await _store.FindMailboxAsync(target, cancellationToken).ConfigureAwait(false);
        return mailbox is null ? new Problem(ProblemKind.NotFound, $"There is no mailbox {target}.") : mailbox;
    }

    /// <summary>
    /// Sets or removes a mailbox's recovery address, which hears about every password change or reset (OWASP ASVS
    /// 6.3.7). Whoever controls that address hears about resets, so the mailbox's own user must give the current
    /// password, as for the password itself; an operator needs permission over the domain. After the commit the
    /// mailbox and the address that stops hearing are both told, so a takeover cannot quietly redirect the notices.
    /// </summary>
    public async Task<Outcome<Mailbox>> SetRecoveryAddressAsync(RecoveryAddressChange request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var permitted = RecoveryPermitted(request.Actor, request.Address);
        if (!permitted.Succeeded)
        {
            return permitted.Problem;
        }

        var (address, self) = permitted.Value;
        var fields = new Dictionary<string, string>();
        string? recovery = null;
        if (!string.IsNullOrWhiteSpace(request.RecoveryAddress))
        {
            if (!EmailAddress.TryParse(request.RecoveryAddress.Trim(), out var parsed, out var error))
            {
                fields[MailboxFields.RecoveryAddress] = error;
            }
            else if (parsed.Value == address.Value)
            {
                fields[MailboxFields.RecoveryAddress] = "The recovery address must be another address than the mailbox's own: it is where notices go when the mailbox is not yours to read.";
            }
            else
            {
                recovery = parsed.Value;
            }
        }

        if (self)
        {
            var confirmation = new PasswordConfirmation(
                new CredentialOwner(CredentialOwnerKind.Mailbox, address.Value),
                request.CurrentPassword ?? "",
                AuditAction.RecoveryAddressChange,
                request.Surface,
                request.Client);
            var confirmed = await _credentials.ConfirmPasswordAsync(confirmation, cancellationToken).ConfigureAwait(false);
            if (!confirmed.Succeeded && confirmed.Problem.Fields.Count == 0)
            {
                return confirmed.Problem; // throttled, or the mailbox is gone or disabled
            }

            foreach (var (field, message) in confirmed.Problem?.Fields ?? new Dictionary<string, string>())
            {
                fields[field] = message;
            }
        }

        if (fields.Count > 0)
        {
            return new Problem(ProblemKind.Invalid, fields.Values.First()) { Fields = fields };
        }

        var mailbox = await _store.FindMailboxAsync(address.Value, cancellationToken).ConfigureAwait(false);
        if (mailbox is null)
        {
            return new Problem(ProblemKind.NotFound, $"There is no mailbox {address.Value}.");
        }

        var before = mailbox.RecoveryAddress;
        if (before == recovery)
        {
            return mailbox; // nothing changes, so nobody needs telling
        }

        var audit = Audit(request.Actor, AuditAction.RecoveryAddressChange, address.Value, address.Domain, request.Surface);
        audit.ClientAddress = request.Client?.ToString();
        audit.Detail = before is null ? $"set to {recovery}" : recovery is null ? $"removed (was {before})" : $"changed from {before} to {recovery}";
        if (!await _store.TrySetRecoveryAddressAsync(address.Value, before, recovery, audit, cancellationToken).ConfigureAwait(false))
        {
            return new Problem(ProblemKind.Conflict, "The recovery address was changed elsewhere a moment ago. Reload and try again.");
        }

        mailbox.RecoveryAddress = recovery;
        // Committed: the notices go even if the caller gives up now; the notifier logs what it cannot deliver.
        var domain = await _store.FindDomainAsync(address.Domain, CancellationToken.None).ConfigureAwait(false);
        var notice = new RecoveryAddressNotice(address.Value, before, recovery, self, request.Actor.Name, request.Surface, request.Client, audit.At, domain?.AdminContact);
        await _notifier.NotifyAsync(notice, CancellationToken.None).ConfigureAwait(false);
        return mailbox;
    }

    /// <summary>Every domain with its settings, for the platform admin's domain page; account administrators are refused.</summary>
    public async Task<Outcome<IReadOnlyList<Domain>>> ListDomainSettingsAsync(Actor actor, CancellationToken cancellationToken)
    {
        if (!actor.IsPlatformAdmin)
        {
            return new Problem(ProblemKind.Denied, "Only a platform administrator may manage domains.");
        }

        return Listed(await ListDomainsAsync(actor, cancellationToken).ConfigureAwait(false));
    }

    /// <summary>One domain with its settings (platform admins only).</summary>
    public async Task<Outcome<Domain>> FindDomainSettingsAsync(Actor actor, string name, CancellationToken cancellationToken)
    {
        if (!actor.IsPlatformAdmin)
        {
            return new Problem(ProblemKind.Denied, "Only a platform administrator may manage domains.");
        }

        if (!DomainName.TryNormalize(name, out var normalized, out var error))
        {
            return new Problem(ProblemKind.Invalid, error);
        }

        var domain = await _store.FindDomainAsync(normalized, cancellationToken).ConfigureAwait(false);
        return domain is null ? new Problem(ProblemKind.NotFound, $"The domain {normalized} is not hosted here.") : domain;
    }

    /// <summary>A domain's password settings: self-service switch, administrator contact, policy overrides (platform admins only).</summary>
    public async Task<Outcome<Domain>> UpdateDomainAsync(Actor actor, string name, bool selfServiceEnabled, string? adminContact, PasswordPolicyOverrides overrides, Surface surface, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(overrides);
        if (!actor.IsPlatformAdmin)
        {
            return new Problem(ProblemKind.Denied, "Only a platform administrator may change domain settings.");
        }

        if (!DomainName.TryNormalize(name, out var normalized, out var error))
        {
            return new Problem(ProblemKind.Invalid, error);
        }

        var domain = await _store.FindDomainAsync(normalized, cancellationToken).ConfigureAwait(false);
        if (domain is null)
        {
            return new Problem(ProblemKind.NotFound, $"The domain {normalized} is not hosted here.");
        }

        if (overrides.MinLength is < 1 or > PasswordPolicy.LeastMaximum)
        {
            return new Problem(ProblemKind.Invalid, $"A minimum length must be between 1 and {PasswordPolicy.LeastMaximum}.")
            {
                Fields = new Dictionary<string, string> { ["minLength"] = $"Enter a number from 1 to {PasswordPolicy.LeastMaximum}." },
            };
        }

        domain.SelfServiceEnabled = selfServiceEnabled;
        domain.AdminContact = string.IsNullOrWhiteSpace(adminContact) ? null : adminContact.Trim();
        domain.PolicyOverrides = overrides;
        await _store.UpdateDomainAsync(domain, Audit(actor, AuditAction.DomainUpdated, normalized, normalized, surface), cancellationToken).ConfigureAwait(false);
        return domain;
    }

    public async Task<Outcome<IReadOnlyList<Operator>>> ListOperatorsAsync(Actor actor, CancellationToken cancellationToken)
    {
        if (!actor.IsPlatformAdmin)
        {
            return new Problem(ProblemKind.Denied, "Only a platform administrator may list operators.");
        }

        var operators = await _store.ListOperatorsAsync(cancellationToken).ConfigureAwait(false);
        return Listed(operators);
    }

    /// <summary>The audit log as the actor may read it: everything for a platform admin, their domains' events for an account administrator, its own events for a mailbox.</summary>
    public async Task<Outcome<IReadOnlyList<AuditEvent>>> ListAuditAsync(Actor actor, AuditQuery query, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        if (actor is Actor.MailboxUser user)
        {
            // A mailbox's own security log: what happened to it, whoever did it.
            query = query with { Target = user.Address, Domains = null };
        }
        else if (actor is not Actor.OperatorActor and not Actor.System)
        {
            return new Problem(ProblemKind.Denied, "You may not read the audit log.");
        }
        else if (!actor.IsPlatformAdmin)
        {
            var managed = ManagedDomains(actor);
            query = query with { Domains = query.Domains is null ? managed : [.. query.Domains.Intersect(managed, StringComparer.Ordinal)] };
        }

        var events = await _store.ListAuditAsync(query, cancellationToken).ConfigureAwait(false);
        return Listed(events);
    }

    /// <summary>The normalised address, if the actor may manage its domain.</summary>
    public static Outcome<EmailAddress> PermittedAddress(Actor actor, string address)
    {
        ArgumentNullException.ThrowIfNull(actor);
        if (!EmailAddress.TryParse(address, out var parsed, out var error))
        {
            return new Problem(ProblemKind.Invalid, error);
        }

        return actor.CanManageDomain(parsed.Domain)
            ? parsed
            : new Problem(ProblemKind.Denied, $"You may not manage mailboxes of {parsed.Domain}.");
    }

    public async Task<Outcome<Created<Operator>>> AddOperatorAsync(Actor actor, NewOperator request, Surface surface, CancellationToken cancellationToken)
    {
        if (!actor.IsPlatformAdmin)
        {
            return new Problem(ProblemKind.Denied, "Only a platform administrator may add operators.");
        }

        if (!EmailAddress.TryParse(request.Email, out var email, out var error))
        {
            return new Problem(ProblemKind.Invalid, error);
        }

        var domains = new List<string>();
        foreach (var name in request.Domains)
        {
            if (!DomainName.TryNormalize(name, out var normalized, out error) || await _store.FindDomainAsync(normalized, cancellationToken).ConfigureAwait(false) is null)
            {
                return new Problem(ProblemKind.NotFound, $"The domain {name} is not hosted here. Add it first (mailstead domain add {name}).");
            }

            domains.Add(normalized);
        }

        if (request.Role == OperatorRole.AccountAdmin && domains.Count == 0)
        {
            return new Problem(ProblemKind.Invalid, "An account administrator needs at least one domain (--domain).");
        }

        if (await _store.FindOperatorAsync(email.Value, cancellationToken).ConfigureAwait(false) is not null)
        {
            return new Problem(ProblemKind.Duplicate, $"The operator {email.Value} exists already.");
        }

        var issued = await _credentials.IssueAsync(
            _credentials.PolicyFor(domain: null),
            new PolicyContext(email, DisplayName: null, CurrentPassword: null),
            request.Password,
            request.MustChange,
            cancellationToken).ConfigureAwait(false);
        if (!issued.Succeeded)
        {
            return issued.Problem;
        }

        var op = new Operator
        {
            Email = email.Value,
            Role = request.Role,
            Domains = request.Role == OperatorRole.AccountAdmin ? [.. domains.Distinct()] : [],
            Credential = issued.Value.Credential,
            CreatedAt = Now,
        };
        var added = await _store.TryAddOperatorAsync(op, Audit(actor, AuditAction.OperatorCreated, email.Value, domain: null, surface), cancellationToken).ConfigureAwait(false);
        return added
            ? new Created<Operator>(op, issued.Value.GeneratedPassword)
            : new Problem(ProblemKind.Duplicate, $"The operator {email.Value} exists already.");
    }

    /// <summary>
    /// First start: with no operator at all, create one platform admin with a generated one-time password that
    /// must be changed at first sign-in (OWASP ASVS 5.0 §6.3.2: no default account with a known password).
    /// Null when an operator exists already.
    /// </summary>
    public async Task<Created<Operator>?> EnsureFirstAdminAsync(string email, CancellationToken cancellationToken)
    {
        if (await _store.AnyOperatorAsync(cancellationToken).ConfigureAwait(false))
        {
            return null;
        }

        var created = await AddOperatorAsync(
            new Actor.System("setup"),
            new NewOperator(email, OperatorRole.PlatformAdmin, [], Password: null, MustChange: true),
            Surface.System,
            cancellationToken).ConfigureAwait(false);
        return created.Succeeded ? created.Value
            // Another node sharing the database started at the same moment and created it: that one prints the password.
            : created.Problem.Kind == ProblemKind.Duplicate ? null
            : throw new InvalidOperationException($"Could not create the first administrator {email}: {created.Problem.Message}");
    }

    // The mailbox's own user (Self), or an operator who may manage its domain; a refusal does not say whether it exists.
    private static Outcome<(EmailAddress Address, bool Self)> RecoveryPermitted(Actor actor, string address)
    {
        if (actor is Actor.MailboxUser user && EmailAddress.TryParse(address, out var own, out _) && own.Value == user.Address)
        {
            return (own, true);
        }

        var permitted = PermittedAddress(actor, address);
        return permitted.Succeeded ? (permitted.Value, false) : permitted.Problem;
    }

    private static Outcome<IReadOnlyList<T>> Listed<T>(IReadOnlyList<T> items) => Outcome.Success(items);

    private static string[] ManagedDomains(Actor actor) =>
        actor is Actor.OperatorActor { Operator: { Disabled: false } op } ? [.. op.Domains] : [];

    private DateTime Now => _time.GetUtcNow().UtcDateTime;

    private AuditEvent Audit(Actor actor, AuditAction action, string target, string? domain, Surface surface) => new()
    {
        At = Now,
        Action = action,
        Outcome = AuditOutcome.Success,
        Actor = actor.Name,
        Target = target,
        Domain = domain,
        Surface = surface,
    };
}
