using Mailstead.Core.Accounts;
using Mailstead.Web.Infrastructure;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Mailstead.Web.Pages.Admin.Domains;

/// <summary>Domains (platform admins): list and add. Core refuses everyone else, and the page says so with a 403.</summary>
public sealed class IndexModel(AccountService accounts) : PageModel
{
    [BindProperty]
    public string Name { get; set; } = "";

    public IReadOnlyList<Domain> Domains { get; private set; } = [];

    public Problem? Refused { get; private set; }

    public string? NameError { get; private set; }

    public string? Confirmation { get; private set; }

    public async Task<IActionResult> OnGetAsync(string? added, string? saved)
    {
        Confirmation = added is not null ? $"The domain {added} was added. Its mailboxes follow the platform password policy until you change its settings."
            : saved is not null ? $"The settings of {saved} were saved." : null;
        return await ShowAsync().ConfigureAwait(false);
    }

    public async Task<IActionResult> OnPostAsync()
    {
        var outcome = await accounts.AddDomainAsync(this.SignedIn().Actor, Name ?? "", Core.Accounts.Surface.AdminPanel, HttpContext.RequestAborted).ConfigureAwait(false);
        if (outcome.Succeeded)
        {
            return Redirect("/admin/domains?added=" + Uri.EscapeDataString(outcome.Value.Name));
        }

        if (outcome.Problem.Kind == ProblemKind.Denied)
        {
            return Refuse(outcome.Problem);
        }

        NameError = outcome.Problem.Message;
        var result = await ShowAsync().ConfigureAwait(false);
        Response.StatusCode = AdminPages.StatusFor(outcome.Problem);
        return result;
    }

    private async Task<IActionResult> ShowAsync()
    {
        var listed = await accounts.ListDomainSettingsAsync(this.SignedIn().Actor, HttpContext.RequestAborted).ConfigureAwait(false);
        if (!listed.Succeeded)
        {
            return Refuse(listed.Problem);
        }

        Domains = listed.Value;
        return Page();
    }

    private PageResult Refuse(Problem problem)
    {
        Refused = problem;
        Response.StatusCode = AdminPages.StatusFor(problem);
        return Page();
    }
}
