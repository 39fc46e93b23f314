namespace Mailstead.Core.Accounts;

public sealed class Mailbox
{
    public long Id { get; set; }

    /// <summary>Full normalised address (see <see cref="EmailAddress"/>); unique.</summary>
    public required string Address { get; set; }

    public long DomainId { get; set; }

    public string? DisplayName { get; set; }

    public required Credential Credential { get; set; }

    public bool Disabled { get; set; }

    /// <summary>
    /// Another address that hears about every password change or reset of this mailbox (OWASP ASVS 6.3.7), normalised
    /// like <see cref="Address"/> and never the mailbox's own; null when there is none. Set through
    /// <see cref="AccountService"/> only, which checks who may and tells the addresses concerned.
    /// </summary>
    public string? RecoveryAddress { get; set; }

    /// <summary>Storage quota in bytes; null means the platform default.</summary>
    public long? QuotaBytes { get; set; }

    public DateTime CreatedAt { get; set; }
}
