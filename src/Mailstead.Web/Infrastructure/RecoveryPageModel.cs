using Mailstead.Core.Accounts;
using Mailstead.Core.Credentials;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Mailstead.Web.Infrastructure;

/// <summary>
/// The recovery address: another address of the user's that hears about every password change or reset of this
/// mailbox. Saving asks for the current password, since whoever controls that address hears about resets; Core
/// checks it (a wrong one counts as a failed sign-in), audits the change and tells the mailbox and the old address.
/// Shared by the user panel and the webmail's My Account (the form is _RecoveryForm).
/// </summary>
public abstract class RecoveryPageModel(AccountService accounts) : PageModel
{
    protected abstract WebSurface Surface { get; }

    /// <summary>Where the page is, to come back to after saving.</summary>
    protected abstract string PagePath { get; }

    [BindProperty]
    public string? RecoveryAddress { get; set; }

    [BindProperty]
    public string CurrentPassword { get; set; } = "";

    /// <summary>The recovery address saved now (the field may hold what was typed instead).</summary>
    public string? Saved { get; private set; }

    public string? Message { get; private set; }

    public string? Error { get; private set; }

    public async Task<IActionResult> OnGetAsync(string? done = null)
    {
        if (!await LoadAsync().ConfigureAwait(false))
        {
            return Redirect(Surface.LoginPath);
        }

        RecoveryAddress = Saved;
        Message = done switch
        {
            "saved" => $"Your recovery address is now {Saved}. A change of it is always told to this mailbox and to the address it replaces.",
            "removed" => "Your mailbox has no recovery address now. Notices of password changes go into this mailbox only.",
            _ => null,
        };
        return Page();
    }

    public async Task<IActionResult> OnPostAsync()
    {
        var signedIn = this.SignedIn();
        var outcome = await accounts.SetRecoveryAddressAsync(
            new RecoveryAddressChange(signedIn.Actor, signedIn.Login, RecoveryAddress, CurrentPassword, Surface.Surface, this.ClientAddress()),
            HttpContext.RequestAborted).ConfigureAwait(false);
        // Never echo the password back into the page.
        CurrentPassword = "";
        if (outcome.Succeeded)
        {
            return Redirect(PagePath + "?done=" + (outcome.Value.RecoveryAddress is null ? "removed" : "saved"));
        }

        var problem = outcome.Problem;
        foreach (var (field, message) in problem.Fields)
        {
            ModelState.AddModelError(FieldName(field), message);
        }

        Error = problem.Fields.Count == 0 ? problem.Message : null;
        return await LoadAsync().ConfigureAwait(false) ? Page() : Redirect(Surface.LoginPath);
    }

    private async Task<bool> LoadAsync()
    {
        var signedIn = this.SignedIn();
        var found = await accounts.FindMailboxForRecoveryAsync(signedIn.Actor, signedIn.Login, HttpContext.RequestAborted).ConfigureAwait(false);
        Saved = found.Value?.RecoveryAddress;
        return found.Succeeded;
    }

    private static string FieldName(string field) => field switch
    {
        MailboxFields.RecoveryAddress => nameof(RecoveryAddress),
        PasswordFields.Current => nameof(CurrentPassword),
        _ => "",
    };
}
