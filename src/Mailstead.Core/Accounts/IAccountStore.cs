using Mailstead.Core.Audit;

namespace Mailstead.Core.Accounts;

/// <summary>
/// Persistence of accounts, credentials and the audit log, implemented by Mailstead.Storage.
/// Every write that changes state takes the audit event that records it and commits both in one transaction.
/// Addresses, emails and domain names passed in are already normalised.
/// </summary>
public interface IAccountStore
{
    Task<Domain?> FindDomainAsync(string name, CancellationToken cancellationToken);

    Task<IReadOnlyList<Domain>> ListDomainsAsync(CancellationToken cancellationToken);

    /// <summary>Adds the domain; false (and nothing written) when a domain of that name exists.</summary>
    Task<bool> TryAddDomainAsync(Domain domain, AuditEvent audit, CancellationToken cancellationToken);

    Task UpdateDomainAsync(Domain domain, AuditEvent audit, CancellationToken cancellationToken);

    Task<Mailbox?> FindMailboxAsync(string address, CancellationToken cancellationToken);

    /// <summary>Mailboxes ordered by address, optionally of one domain only.</summary>
    Task<IReadOnlyList<Mailbox>> ListMailboxesAsync(string? domain, CancellationToken cancellationToken);

    /// <summary>A page of mailboxes ordered by address, with the total that match.</summary>
    Task<MailboxPage> SearchMailboxesAsync(MailboxSearch search, CancellationToken cancellationToken);

    /// <summary>Saves display name, disabled flag and quota (never the credential); false when the mailbox is gone.</summary>
    Task<bool> UpdateMailboxAsync(Mailbox mailbox, AuditEvent audit, CancellationToken cancellationToken);

    /// <summary>
    /// Sets (or with null clears) the mailbox's recovery address if it is still <paramref name="expected"/>, with the
    /// audit event, in one transaction. False when the mailbox is gone or its recovery address changed meanwhile.
    /// </summary>
    Task<bool> TrySetRecoveryAddressAsync(string address, string? expected, string? recoveryAddress, AuditEvent audit, CancellationToken cancellationToken);

    /// <summary>Deletes the mailbox; false when there was none.</summary>
    Task<bool> DeleteMailboxAsync(string address, AuditEvent audit, CancellationToken cancellationToken);

    /// <summary>Operators ordered by email.</summary>
    Task<IReadOnlyList<Operator>> ListOperatorsAsync(CancellationToken cancellationToken);

    /// <summary>Adds the mailbox; false (and nothing written) when the address is taken.</summary>
    Task<bool> TryAddMailboxAsync(Mailbox mailbox, AuditEvent audit, CancellationToken cancellationToken);

    Task<Operator?> FindOperatorAsync(string email, CancellationToken cancellationToken);

    Task<Operator?> FindOperatorByIdAsync(long id, CancellationToken cancellationToken);

    Task<bool> AnyOperatorAsync(CancellationToken cancellationToken);

    /// <summary>Adds the operator; false (and nothing written) when the email is taken.</summary>
    Task<bool> TryAddOperatorAsync(Operator op, AuditEvent audit, CancellationToken cancellationToken);

    /// <summary>
    /// Replaces a credential if its epoch is still <paramref name="expectedEpoch"/>: new hash, epoch + 1,
    /// must-change flag, changed-at, and the audit event, in one transaction. False when another change won the race.
    /// </summary>
    Task<bool> TryReplaceCredentialAsync(CredentialOwner owner, string passwordHash, bool mustChange, long expectedEpoch, AuditEvent audit, CancellationToken cancellationToken);

    /// <summary>Stores a stronger hash of the same password (no epoch change) if the epoch is still <paramref name="expectedEpoch"/>.</summary>
    Task<bool> TryUpgradeHashAsync(CredentialOwner owner, string passwordHash, long expectedEpoch, CancellationToken cancellationToken);

    Task AppendAuditAsync(AuditEvent audit, CancellationToken cancellationToken);

    /// <summary>Newest first.</summary>
    Task<IReadOnlyList<AuditEvent>> ListAuditAsync(AuditQuery query, CancellationToken cancellationToken);
}

/// <summary>Whose credential: a mailbox (by address) or an operator (by email).</summary>
public sealed record CredentialOwner(CredentialOwnerKind Kind, string Login);

public enum CredentialOwnerKind
{
    Mailbox,
    Operator,
}

/// <summary>Which mailboxes: only of <see cref="Domains"/> when set (what the operator may see), of <see cref="Domain"/>, containing <see cref="Text"/>.</summary>
public sealed record MailboxSearch
{
    public IReadOnlyCollection<string>? Domains { get; init; }

    public string? Domain { get; init; }

    public string? Text { get; init; }

    public int Skip { get; init; }

    public int Take { get; init; } = 50;
}

public sealed record MailboxPage(IReadOnlyList<Mailbox> Items, int Total);

public sealed record AuditQuery
{
    /// <summary>Only events whose target is exactly this.</summary>
    public string? Target { get; init; }

    /// <summary>Only events whose target contains this text (ordinal; targets are stored normalised, in lower case).</summary>
    public string? TargetContains { get; init; }

    /// <summary>Only events of these domains (an account administrator's view); null means all.</summary>
    public IReadOnlyCollection<string>? Domains { get; init; }

    public AuditAction? Action { get; init; }

    public int Limit { get; init; } = 100;
}
