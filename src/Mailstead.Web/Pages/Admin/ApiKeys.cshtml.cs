using Mailstead.Core.Accounts;
using Mailstead.Web.Infrastructure;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Mailstead.Web.Pages.Admin;

/// <summary>The signed-in operator's own API keys. A new key's secret is in the creating response only; the server keeps its hash.</summary>
public sealed class ApiKeysModel(ApiKeyService keys) : PageModel
{
    [BindProperty]
    public string Name { get; set; } = "";

    public IReadOnlyList<ApiKey> Keys { get; private set; } = [];

    public CreatedApiKey? Created { get; private set; }

    public string? NameError { get; private set; }

    public string? Confirmation { get; private set; }

    public async Task<IActionResult> OnGetAsync(string? revoked)
    {
        Confirmation = revoked is null ? null : "The key was revoked: requests that use it are refused from now on.";
        return await ShowAsync().ConfigureAwait(false);
    }

    public async Task<IActionResult> OnPostAsync()
    {
        var outcome = await keys.CreateAsync(this.SignedIn().Actor, Name ?? "", HttpContext.RequestAborted).ConfigureAwait(false);
        if (outcome.Succeeded)
        {
            // Not a redirect: the secret must never travel in a URL, and this is the only time it is shown.
            Created = outcome.Value;
            Name = "";
        }
        else
        {
            NameError = outcome.Problem.Fields.GetValueOrDefault("name") ?? outcome.Problem.Message;
            Response.StatusCode = AdminPages.StatusFor(outcome.Problem);
        }

        return await ShowAsync().ConfigureAwait(false);
    }

    public async Task<IActionResult> OnPostRevokeAsync(long id)
    {
        var op = this.SignedIn().Operator;
        if (op is null || !await keys.RevokeAsync(op, id, HttpContext.RequestAborted).ConfigureAwait(false))
        {
            return NotFound();
        }

        return Redirect("/admin/api-keys?revoked=1");
    }

    private async Task<IActionResult> ShowAsync()
    {
        var op = this.SignedIn().Operator;
        Keys = op is null ? [] : await keys.ListAsync(op, HttpContext.RequestAborted).ConfigureAwait(false);
        return Page();
    }
}
