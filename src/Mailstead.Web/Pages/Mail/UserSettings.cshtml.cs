using Mailstead.Core.Accounts;
using Mailstead.Core.Sessions;
using Mailstead.Web.Infrastructure;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Mailstead.Web.Pages.Mail;

/// <summary>
/// User Settings (the seed's menu item): opens the user panel signed in as this mailbox, through a one-time link
/// bound to this webmail session. POST only: a link that signs in must not be minted by an image tag.
/// </summary>
public sealed class UserSettingsModel(SignInHandoffService handoffs) : PageModel
{
    public IActionResult OnGet() => Redirect(WebSurface.Webmail.PathPrefix);

    public async Task<IActionResult> OnPostAsync()
    {
        var issued = await handoffs.IssueAsync(this.SignedIn().Session, Surface.UserPanel, this.ClientAddress(), HttpContext.RequestAborted).ConfigureAwait(false);
        return issued.Succeeded
            ? Redirect(WebSurface.Account.PathPrefix + "/sso?token=" + Uri.EscapeDataString(issued.Value.Token))
            : Redirect(WebSurface.Account.LoginPath);
    }
}
