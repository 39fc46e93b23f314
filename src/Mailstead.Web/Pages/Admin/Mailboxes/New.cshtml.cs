using Mailstead.Core.Accounts;
using Mailstead.Core.Credentials;
using Mailstead.Web.Infrastructure;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Mailstead.Web.Pages.Admin.Mailboxes;

/// <summary>Creates a mailbox in one of the operator's domains; the Email tab's "New mailbox" pop-up posts here.</summary>
public sealed class NewModel(AccountService accounts, CredentialService credentials) : PageModel
{
    [BindProperty]
    public string LocalPart { get; set; } = "";

    [BindProperty]
    public string? Domain { get; set; }

    [BindProperty]
    public string? DisplayName { get; set; }

    [BindProperty]
    public string? Password { get; set; }

    [BindProperty]
    public bool MustChange { get; set; }

    public NewMailboxForm Form { get; private set; } = null!;

    public string? Error { get; private set; }

    public Created<Mailbox>? Created { get; private set; }

    public async Task<IActionResult> OnGetAsync(string? domain)
    {
        Domain = domain;
        MustChange = true;
        return await ShowAsync(new Dictionary<string, string>(), criteria: null).ConfigureAwait(false);
    }

    public async Task<IActionResult> OnPostAsync()
    {
        var password = string.IsNullOrEmpty(Password) ? null : Password;
        Password = null;
        var address = $"{LocalPart?.Trim()}@{Domain?.Trim()}";
        var outcome = await accounts.AddMailboxAsync(
            this.SignedIn().Actor,
            new NewMailbox(address, DisplayName, password, MustChange),
            Core.Accounts.Surface.AdminPanel,
            HttpContext.RequestAborted).ConfigureAwait(false);
        if (outcome.Succeeded)
        {
            if (outcome.Value.GeneratedPassword is not null)
            {
                // Shown in this response only, never through a redirect's URL.
                Created = outcome.Value;
                return await ShowAsync(new Dictionary<string, string>(), criteria: null).ConfigureAwait(false);
            }

            return Redirect("/admin?done=created&mailbox=" + Uri.EscapeDataString(outcome.Value.Account.Address));
        }

        var problem = outcome.Problem;
        var field = problem.Kind is ProblemKind.PolicyFailed ? "Password" : "LocalPart";
        var errors = new Dictionary<string, string> { [field] = problem.Message };
        Error = problem.Message;
        var result = await ShowAsync(errors, problem.Policy?.Criteria).ConfigureAwait(false);
        Response.StatusCode = AdminPages.StatusFor(problem);
        return result;
    }

    private async Task<IActionResult> ShowAsync(Dictionary<string, string> errors, IReadOnlyList<PolicyCriterion>? criteria)
    {
        var domains = await accounts.ListDomainsAsync(this.SignedIn().Actor, HttpContext.RequestAborted).ConfigureAwait(false);
        var selected = domains.FirstOrDefault(d => d.Name == Domain?.Trim().ToLowerInvariant()) ?? (domains.Count > 0 ? domains[0] : null);
        Form = new NewMailboxForm([.. domains.Select(d => d.Name)], credentials.PolicyFor(selected), InDialog: false)
        {
            LocalPart = LocalPart ?? "",
            Domain = selected?.Name,
            DisplayName = DisplayName,
            MustChange = MustChange,
            Errors = errors,
            Criteria = criteria,
        };
        return Page();
    }
}
