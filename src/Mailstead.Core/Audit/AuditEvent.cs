using Mailstead.Core.Accounts;

namespace Mailstead.Core.Audit;

/// <summary>Stored by name; do not rename values.</summary>
public enum AuditAction
{
    SignIn,
    PasswordChange,
    PasswordReset,
    PasswordRehash,
    SessionsEnded,
    DomainCreated,
    DomainUpdated,
    MailboxCreated,
    MailboxUpdated,
    MailboxDeleted,
    OperatorCreated,
    ApiKeyCreated,
    ApiKeyRevoked,
    SignInHandoffIssued,
    RecoveryAddressChange,
}

public enum AuditOutcome
{
    Success,
    Failure,
    Denied,
}

/// <summary>One line of the security log. Never holds a password, in any field.</summary>
public sealed class AuditEvent
{
    public long Id { get; set; }

    public DateTime At { get; set; }

    public AuditAction Action { get; set; }

    public AuditOutcome Outcome { get; set; }

    /// <summary>Who did it: an operator's or mailbox's address, or "cli"/"system".</summary>
    public required string Actor { get; set; }

    /// <summary>Whom or what it concerned: a mailbox address, an operator, a domain.</summary>
    public string? Target { get; set; }

    /// <summary>The domain of the target, so account administrators can read their own domains' log.</summary>
    public string? Domain { get; set; }

    public Surface Surface { get; set; }

    public string? ClientAddress { get; set; }

    /// <summary>A short human reason, e.g. "wrong password" or "no permission over example.org".</summary>
    public string? Detail { get; set; }
}
