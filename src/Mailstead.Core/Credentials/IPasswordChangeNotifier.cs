using System.Net;
using Mailstead.Core.Accounts;

namespace Mailstead.Core.Credentials;

/// <summary>The facts of one committed password change or reset, as the owner should hear them (OWASP ASVS 6.3.7).</summary>
public sealed record PasswordChangeNotice(
    CredentialOwner Owner,
    bool BySelf,
    string Actor,
    Surface Surface,
    IPAddress? Client,
    DateTime At,
    bool MustChange,
    string? AdminContact)
{
    /// <summary>The mailbox's recovery address when the change was made: it hears about it too.</summary>
    public string? RecoveryAddress { get; init; }
}

/// <summary>
/// A committed change of a mailbox's recovery address (<see cref="Before"/> or <see cref="After"/> null: there was or
/// is none). The mailbox and the address that stops hearing are both told, so whoever takes a mailbox over cannot
/// quietly send its notices elsewhere.
/// </summary>
public sealed record RecoveryAddressNotice(
    string Mailbox,
    string? Before,
    string? After,
    bool BySelf,
    string Actor,
    Surface Surface,
    IPAddress? Client,
    DateTime At,
    string? AdminContact);

/// <summary>
/// Tells a mailbox's owner that its password or its recovery address changed. <see cref="CredentialService"/> and
/// <see cref="AccountService"/> call it after the commit: the change stands whatever happens here, so an
/// implementation delivers each copy on its own and logs one it cannot deliver instead of throwing.
/// </summary>
public interface IPasswordChangeNotifier
{
    Task NotifyAsync(PasswordChangeNotice notice, CancellationToken cancellationToken);

    Task NotifyAsync(RecoveryAddressNotice notice, CancellationToken cancellationToken);
}
