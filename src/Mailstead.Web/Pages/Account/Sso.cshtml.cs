using Mailstead.Core.Accounts;
using Mailstead.Core.Sessions;
using Mailstead.Web.Infrastructure;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Mailstead.Web.Pages.Account;

/// <summary>
/// Redeems the webmail's User Settings link: a valid one starts a user-panel session for its mailbox; an unknown,
/// used, expired or orphaned one lands on the sign-in page, which says why.
/// </summary>
[PublicPage]
public sealed class SsoModel(SignInHandoffService handoffs, WebSignIn signIn) : PageModel
{
    public async Task<IActionResult> OnGetAsync(string? token)
    {
        var redeemed = await handoffs.RedeemAsync(token, Surface.UserPanel, this.ClientAddress(), HttpContext.RequestAborted).ConfigureAwait(false);
        if (!redeemed.Succeeded)
        {
            return Redirect(WebSurface.Account.LoginPath + "?link=invalid");
        }

        await signIn.StartAsync(HttpContext, WebSurface.Account, redeemed.Value.Owner, redeemed.Value.Epoch).ConfigureAwait(false);
        return Redirect(redeemed.Value.MustChangePassword ? WebSurface.Account.PasswordPath : WebSurface.Account.PathPrefix);
    }
}
