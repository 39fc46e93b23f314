using Mailstead.Core.Accounts;
using Mailstead.Web.Infrastructure;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Mailstead.Web.Pages.Admin;

/// <summary>
/// Operators (platform admins): list, and create platform admins or account administrators with their domains.
/// A generated one-time password is shown in this response only, and must be changed at first sign-in.
/// </summary>
public sealed class OperatorsModel(AccountService accounts) : PageModel
{
    [BindProperty]
    public string Email { get; set; } = "";

    [BindProperty]
    public string Role { get; set; } = "account";

    [BindProperty]
    public List<string> SelectedDomains { get; set; } = [];

    public IReadOnlyList<Operator> Operators { get; private set; } = [];

    public IReadOnlyList<Domain> Domains { get; private set; } = [];

    public Problem? Refused { get; private set; }

    public Problem? Failed { get; private set; }

    public Created<Operator>? Created { get; private set; }

    public async Task<IActionResult> OnGetAsync() => await ShowAsync().ConfigureAwait(false);

    public async Task<IActionResult> OnPostAsync()
    {
        var role = Role == "platform" ? OperatorRole.PlatformAdmin : OperatorRole.AccountAdmin;
        var outcome = await accounts.AddOperatorAsync(
            this.SignedIn().Actor,
            new NewOperator(Email ?? "", role, role == OperatorRole.AccountAdmin ? SelectedDomains : [], Password: null, MustChange: true),
            Core.Accounts.Surface.AdminPanel,
            HttpContext.RequestAborted).ConfigureAwait(false);
        if (outcome.Succeeded)
        {
            // The one-time password is shown in this response only (a redirect would carry it in a URL).
            Created = outcome.Value;
            Email = "";
            SelectedDomains = [];
            return await ShowAsync().ConfigureAwait(false);
        }

        if (outcome.Problem.Kind == ProblemKind.Denied)
        {
            return Refuse(outcome.Problem);
        }

        Failed = outcome.Problem;
        var result = await ShowAsync().ConfigureAwait(false);
        Response.StatusCode = AdminPages.StatusFor(outcome.Problem);
        return result;
    }

    /// <summary>Which field a refusal belongs to, so its message is shown next to that field.</summary>
    public string? ErrorFor(string field)
    {
        if (Failed is null)
        {
            return null;
        }

        var isDomainProblem = Failed.Message.Contains("domain", StringComparison.OrdinalIgnoreCase) && Failed.Kind is ProblemKind.Invalid or ProblemKind.NotFound;
        return (field == "SelectedDomains") == isDomainProblem ? Failed.Message : null;
    }

    private async Task<IActionResult> ShowAsync()
    {
        var actor = this.SignedIn().Actor;
        var listed = await accounts.ListOperatorsAsync(actor, HttpContext.RequestAborted).ConfigureAwait(false);
        if (!listed.Succeeded)
        {
            return Refuse(listed.Problem);
        }

        Operators = listed.Value;
        Domains = await accounts.ListDomainsAsync(actor, HttpContext.RequestAborted).ConfigureAwait(false);
        return Page();
    }

    private PageResult Refuse(Problem problem)
    {
        Refused = problem;
        Response.StatusCode = AdminPages.StatusFor(problem);
        return Page();
    }
}
