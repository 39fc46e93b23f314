using System.ComponentModel.DataAnnotations;
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

    public void OnGet(bool expired = false, bool changed = false)
    {
        Notice = changed
            ? "Your password was changed and you were signed out everywhere. Sign in with the new password."
            : expired ? "Please sign in to continue." : null;
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
