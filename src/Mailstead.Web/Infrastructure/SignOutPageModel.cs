using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Mailstead.Web.Infrastructure;

/// <summary>POST-only sign-out (a GET would let any page sign the user out with an image tag).</summary>
[PublicPage]
public abstract class SignOutPageModel(WebSignIn signIn) : PageModel
{
    protected abstract WebSurface Surface { get; }

    public IActionResult OnGet() => Redirect(Surface.PathPrefix);

    public async Task<IActionResult> OnPostAsync()
    {
        await signIn.SignOutAsync(HttpContext, Surface).ConfigureAwait(false);
        return Redirect(Surface.LoginPath);
    }
}
