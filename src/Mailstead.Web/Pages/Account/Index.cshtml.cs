using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Mailstead.Web.Pages.Account;

/// <summary>The user panel opens on its Password page, the reason most people come.</summary>
public sealed class IndexModel : PageModel
{
    public IActionResult OnGet() => Redirect("/account/password");
}
