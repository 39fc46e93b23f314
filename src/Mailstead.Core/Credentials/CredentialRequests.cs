using System.Net;
using Mailstead.Core.Accounts;
using Mailstead.Core.Audit;

namespace Mailstead.Core.Credentials;

/// <summary>A sign-in from any surface or protocol.</summary>
public sealed record LoginAttempt(string Login, string Password, Surface Surface, IPAddress? Client);

/// <summary>Who signed in, and under which credential epoch: a session or connection dies when the epoch moves.</summary>
public sealed record AuthenticatedPrincipal(CredentialOwner Owner, long Epoch, bool MustChange);

/// <summary>A user changing their own password: the current one is required (OWASP ASVS 5.0 §6.2.3).</summary>
public sealed record PasswordChangeRequest(
    CredentialOwner Owner,
    string CurrentPassword,
    string NewPassword,
    string Confirmation,
    Surface Surface,
    IPAddress? Client);

/// <summary>
/// A signed-in user's current password, asked again before a security setting changes; <see cref="Action"/> names
/// the setting in the audit log when the password is wrong.
/// </summary>
public sealed record PasswordConfirmation(CredentialOwner Owner, string Password, AuditAction Action, Surface Surface, IPAddress? Client);

/// <summary>An operator setting a mailbox's password without knowing the old one; null NewPassword generates one.</summary>
public sealed record PasswordResetRequest(
    Actor Actor,
    string Address,
    string? NewPassword,
    bool MustChange,
    Surface Surface,
    IPAddress? Client);

/// <summary>The epoch now in force, and the password when the server generated it (shown once, never stored).</summary>
public sealed record PasswordChanged(long Epoch, string? GeneratedPassword);

public sealed record IssuedCredential(Credential Credential, string? GeneratedPassword);

/// <summary>Form field names used in <see cref="Problem.Fields"/>.</summary>
public static class PasswordFields
{
    public const string Current = "currentPassword";
    public const string New = "newPassword";
    public const string Confirmation = "confirmPassword";
}

/// <summary>An account's password rules as a page shows them.</summary>
public sealed record CredentialSettings(PasswordPolicy Policy, bool MayChangeOwnPassword, string? AdminContact, bool MustChange, string? DisplayName);
