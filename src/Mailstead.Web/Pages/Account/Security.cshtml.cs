using Mailstead.Core.Accounts;
using Mailstead.Core.Audit;
using Mailstead.Web.Infrastructure;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Mailstead.Web.Pages.Account;

/// <summary>The mailbox's recent sign-ins (successful or not, from where) and password changes (by whom).</summary>
public sealed class SecurityModel(AccountService accounts) : PageModel
{
    public IReadOnlyList<AuditEvent> Events { get; private set; } = [];

    public async Task OnGetAsync()
    {
        var log = await accounts.ListAuditAsync(this.SignedIn().Actor, new AuditQuery { Limit = 100 }, HttpContext.RequestAborted).ConfigureAwait(false);
        Events = log.Succeeded ? log.Value : [];
    }

    public static string Describe(AuditEvent e) => (e.Action, e.Outcome) switch
    {
        (AuditAction.SignIn, AuditOutcome.Success) => "Signed in",
        (AuditAction.SignIn, _) => "Failed sign-in" + (e.Detail is "throttled" ? " (temporarily blocked)" : ""),
        (AuditAction.PasswordChange, AuditOutcome.Success) => "Password changed by you",
        (AuditAction.PasswordChange, _) => "Password change refused: wrong current password",
        (AuditAction.PasswordReset, AuditOutcome.Success) => $"Password reset by {e.Actor}",
        (AuditAction.PasswordReset, _) => $"Password reset refused for {e.Actor}",
        (AuditAction.SessionsEnded, _) => $"All sessions ended by {e.Actor}",
        (AuditAction.PasswordRehash, _) => "Stored password upgraded to a stronger hash",
        (AuditAction.SignInHandoffIssued, _) => "User Settings opened from the webmail",
        (AuditAction.RecoveryAddressChange, AuditOutcome.Success) => $"Recovery address {e.Detail} by {(e.Actor == e.Target ? "you" : e.Actor)}",
        (AuditAction.RecoveryAddressChange, _) => "Recovery address change refused: wrong current password",
        _ => $"{e.Action} by {e.Actor}",
    };

    public static string SurfaceName(Surface surface) => surface switch
    {
        Surface.UserPanel => "User panel",
        Surface.AdminPanel => "Admin panel",
        Surface.Imap => "IMAP",
        Surface.Pop3 => "POP3",
        Surface.Smtp => "SMTP",
        Surface.Cli => "Command line",
        Surface.Api => "API",
        _ => surface.ToString(),
    };
}
