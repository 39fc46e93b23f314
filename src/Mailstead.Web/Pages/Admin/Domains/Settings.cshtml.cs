using Mailstead.Core.Accounts;
using Mailstead.Core.Credentials;
using Mailstead.Web.Infrastructure;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Options;

namespace Mailstead.Web.Pages.Admin.Domains;

/// <summary>
/// A domain's password settings: the self-service switch, whom users ask instead, and policy overrides with a
/// preview of the criteria users will see (computed here, so it works without JavaScript).
/// </summary>
public sealed class SettingsModel(AccountService accounts, IOptions<PasswordPolicyOptions> platformPolicy) : PageModel
{
    [BindProperty(SupportsGet = true)]
    public string Name { get; set; } = "";

    [BindProperty]
    public bool SelfServiceEnabled { get; set; }

    [BindProperty]
    public string? AdminContact { get; set; }

    [BindProperty]
    public int? MinLength { get; set; }

    [BindProperty]
    public bool RequireUppercase { get; set; }

    [BindProperty]
    public bool RequireLowercase { get; set; }

    [BindProperty]
    public bool RequireDigit { get; set; }

    [BindProperty]
    public bool RequireSymbol { get; set; }

    public Problem? Refused { get; private set; }

    public string? MinLengthError { get; private set; }

    public string? Error { get; private set; }

    public bool IsPreview { get; private set; }

    public int PlatformMinLength => platformPolicy.Value.MinLength;

    public IReadOnlyList<PolicyCriterion> Preview { get; private set; } = [];

    public async Task<IActionResult> OnGetAsync()
    {
        var found = await accounts.FindDomainSettingsAsync(this.SignedIn().Actor, Name, HttpContext.RequestAborted).ConfigureAwait(false);
        if (!found.Succeeded)
        {
            return Refuse(found.Problem);
        }

        var domain = found.Value;
        Name = domain.Name;
        SelfServiceEnabled = domain.SelfServiceEnabled;
        AdminContact = domain.AdminContact;
        MinLength = domain.PolicyOverrides.MinLength;
        RequireUppercase = domain.PolicyOverrides.RequireUppercase;
        RequireLowercase = domain.PolicyOverrides.RequireLowercase;
        RequireDigit = domain.PolicyOverrides.RequireDigit;
        RequireSymbol = domain.PolicyOverrides.RequireSymbol;
        ComputePreview();
        return Page();
    }

    /// <summary>"Preview": the criteria these settings would produce; nothing is saved.</summary>
    public async Task<IActionResult> OnPostPreviewAsync()
    {
        var found = await accounts.FindDomainSettingsAsync(this.SignedIn().Actor, Name, HttpContext.RequestAborted).ConfigureAwait(false);
        if (!found.Succeeded)
        {
            return Refuse(found.Problem);
        }

        Name = found.Value.Name;
        IsPreview = true;
        ComputePreview();
        return Page();
    }

    public async Task<IActionResult> OnPostAsync()
    {
        var outcome = await accounts.UpdateDomainAsync(this.SignedIn().Actor, Name, SelfServiceEnabled, AdminContact, Overrides(), Core.Accounts.Surface.AdminPanel, HttpContext.RequestAborted).ConfigureAwait(false);
        if (outcome.Succeeded)
        {
            return Redirect("/admin/domains?saved=" + Uri.EscapeDataString(outcome.Value.Name));
        }

        var problem = outcome.Problem;
        if (problem.Kind is ProblemKind.Denied or ProblemKind.NotFound)
        {
            return Refuse(problem);
        }

        MinLengthError = problem.Fields.GetValueOrDefault("minLength");
        Error = problem.Message;
        Response.StatusCode = AdminPages.StatusFor(problem);
        ComputePreview();
        return Page();
    }

    private PasswordPolicyOverrides Overrides() => new()
    {
        MinLength = MinLength,
        RequireUppercase = RequireUppercase,
        RequireLowercase = RequireLowercase,
        RequireDigit = RequireDigit,
        RequireSymbol = RequireSymbol,
    };

    private void ComputePreview()
    {
        var overrides = Overrides();
        if (overrides.MinLength is < 1 or > PasswordPolicy.LeastMaximum)
        {
            overrides = overrides with { MinLength = null };
        }

        Preview = PasswordPolicy.Create(platformPolicy.Value, overrides).Check("", new PolicyContext(null, null, null)).Criteria;
    }

    private PageResult Refuse(Problem problem)
    {
        Refused = problem;
        Response.StatusCode = AdminPages.StatusFor(problem);
        return Page();
    }
}
