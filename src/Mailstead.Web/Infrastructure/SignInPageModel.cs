using System.ComponentModel.DataAnnotations;
using Mailstead.Core.Sessions;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Mailstead.Web.Infrastructure;

/// <summary>The sign-in page of a surface. Every refusal reads the same, whether the address exists or not.</summary>
[PublicPage]
public abstract class SignInPageModel(WebSignIn signIn) : PageModel
{
    protected abstract WebSurface Surface { get; }

    [BindProperty]
    [Required(ErrorMessage = "Enter your full email address.")]
    public string Email { get; set; } = "";

    [BindProperty]
    [Required(ErrorMessage = "Enter your password.")]
    public string Password { get; set; } = "";

    public string? Notice { get; private set; }

    public string? Error { get; private set; }

    /// <summary>
    /// <paramref name="expired"/> is a string: the access filter sends <c>?expired=1</c>, and "1" does not bind to a
    /// bool (the notice was silently lost).
    /// </summary>
    public void OnGet(string? expired = null, bool changed = false, string? link = null)
    {
        Notice = changed
            ? "Your password was changed and you were signed out everywhere. Sign in with the new password."
            : link is "invalid" ? SignInHandoffService.Refused
            : expired is "1" or "true" ? "Please sign in to continue." : null;
    }

    public async Task<IActionResult> OnPostAsync()
    {
        if (!ModelState.IsValid)
        {
            return Page();
        }

        var outcome = await signIn.SignInAsync(HttpContext, Surface, Email, Password).ConfigureAwait(false);
        Password = "";
        if (!outcome.Succeeded)
        {
            Error = outcome.Problem.Message;
            return Page();
        }

        return Redirect(outcome.Value.MustChange ? Surface.PasswordPath : Surface.PathPrefix);
    }
}
