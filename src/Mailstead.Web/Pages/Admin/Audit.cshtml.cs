using Mailstead.Core.Accounts;
using Mailstead.Core.Audit;
using Mailstead.Web.Infrastructure;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Mailstead.Web.Pages.Admin;

/// <summary>The audit log as Core lets this operator read it (an account administrator: their domains), newest first.</summary>
public sealed class AuditModel(AccountService accounts) : PageModel
{
    public const int Limit = 100;

    [BindProperty(SupportsGet = true)]
    public string? Target { get; set; }

    /// <summary>"contains" or "equals".</summary>
    [BindProperty(SupportsGet = true)]
    public string Match { get; set; } = "contains";

    [BindProperty(SupportsGet = true)]
    public AuditAction? Action { get; set; }

    public IReadOnlyList<AuditEvent> Events { get; private set; } = [];

    public Problem? Refused { get; private set; }

    public bool IsPlatformAdmin => this.SignedIn().Actor.IsPlatformAdmin;

    public async Task<IActionResult> OnGetAsync()
    {
        var target = string.IsNullOrWhiteSpace(Target) ? null : Target.Trim().ToLowerInvariant();
        var exact = Match == "equals";
        var query = new AuditQuery
        {
            Target = exact ? target : null,
            TargetContains = exact ? null : target,
            Action = Action,
            Limit = Limit,
        };
        var listed = await accounts.ListAuditAsync(this.SignedIn().Actor, query, HttpContext.RequestAborted).ConfigureAwait(false);
        if (!listed.Succeeded)
        {
            Refused = listed.Problem;
            Response.StatusCode = AdminPages.StatusFor(listed.Problem);
            return Page();
        }

        Events = listed.Value;
        return Page();
    }

    public static string Describe(AuditAction action) => action switch
    {
        AuditAction.SignIn => "Sign-in",
        AuditAction.PasswordChange => "Password change",
        AuditAction.PasswordReset => "Password reset",
        AuditAction.PasswordRehash => "Password rehash",
        AuditAction.SessionsEnded => "Sessions ended",
        AuditAction.DomainCreated => "Domain created",
        AuditAction.DomainUpdated => "Domain updated",
        AuditAction.MailboxCreated => "Mailbox created",
        AuditAction.MailboxUpdated => "Mailbox updated",
        AuditAction.MailboxDeleted => "Mailbox deleted",
        AuditAction.OperatorCreated => "Operator created",
        AuditAction.ApiKeyCreated => "API key created",
        AuditAction.ApiKeyRevoked => "API key revoked",
        AuditAction.SignInHandoffIssued => "Sign-in link issued",
        AuditAction.RecoveryAddressChange => "Recovery address change",
        _ => action.ToString(),
    };
}
