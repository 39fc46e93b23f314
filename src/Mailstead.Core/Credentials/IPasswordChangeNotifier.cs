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
    string? AdminContact);

/// <summary>Tells a mailbox's owner that its password changed; <see cref="CredentialService"/> calls it after the commit.</summary>
public interface IPasswordChangeNotifier
{
    Task NotifyAsync(PasswordChangeNotice notice, CancellationToken cancellationToken);
}
