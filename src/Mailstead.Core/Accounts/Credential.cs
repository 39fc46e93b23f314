namespace Mailstead.Core.Accounts;

/// <summary>
/// The secret half of a mailbox or operator. Only <c>CredentialService</c> writes it.
/// <see cref="Epoch"/> grows by one at every change or reset: sessions and connections remember the epoch
/// they were authenticated under and die when it moves.
/// </summary>
public sealed class Credential
{
    /// <summary>Dovecot-style scheme-prefixed hash, e.g. <c>{ARGON2ID}$argon2id$v=19$…</c>.</summary>
    public required string PasswordHash { get; set; }

    public long Epoch { get; set; }

    public bool MustChange { get; set; }

    public DateTime ChangedAt { get; set; }
}
