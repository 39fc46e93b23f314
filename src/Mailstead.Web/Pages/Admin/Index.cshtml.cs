using Mailstead.Core.Accounts;
using Mailstead.Core.Credentials;
using Mailstead.Web.Infrastructure;
using Mailstead.Web.Pages.Admin.Mailboxes;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Options;

namespace Mailstead.Web.Pages.Admin;

/// <summary>
/// The Email tab ("Mail" for an account administrator): the mailboxes the operator may manage, searched, filtered
/// by domain and paged, with per-row actions. Every permission is Core's; this page only passes the actor on.
/// </summary>
public sealed class IndexModel(AccountService accounts, CredentialService credentials, IOptions<PasswordPolicyOptions> platformPolicy) : PageModel
{
    [BindProperty(SupportsGet = true)]
    public string? Q { get; set; }

    [BindProperty(SupportsGet = true)]
    public string? Domain { get; set; }

    /// <summary>
    /// The <c>page</c> parameter, read by hand: Razor Pages keeps a route value called "page" (the page's own
    /// path), which model binding would find first.
    /// </summary>
    public int PageNumber { get; private set; } = 1;

    public IReadOnlyList<Domain> Domains { get; private set; } = [];

    public MailboxPage Mailboxes { get; private set; } = new([], 0);

    public int PageCount => Math.Max(1, (Mailboxes.Total + AdminPages.MailboxPageSize - 1) / AdminPages.MailboxPageSize);

    public string? Confirmation { get; private set; }

    public string? Error { get; private set; }

    public ResetForm ResetDialog { get; private set; } = null!;

    public RecoveryForm RecoveryDialog { get; } = new("", null);

    public NewMailboxForm NewMailboxDialog { get; private set; } = null!;

    public bool IsPlatformAdmin => this.SignedIn().Actor.IsPlatformAdmin;

    public override void OnPageHandlerExecuting(Microsoft.AspNetCore.Mvc.Filters.PageHandlerExecutingContext context)
    {
        var raw = Request.HasFormContentType && Request.Form.ContainsKey("page") ? Request.Form["page"].ToString() : Request.Query["page"].ToString();
        PageNumber = int.TryParse(raw, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var number) && number > 0 ? number : 1;
    }

    public async Task<IActionResult> OnGetAsync(string? done, string? mailbox)
    {
        Confirmation = AdminPages.Confirmation(done, mailbox);
        return await ShowAsync().ConfigureAwait(false);
    }

    public Task<IActionResult> OnPostDisableAsync(string address) => SetDisabledAsync(address, disabled: true);

    public Task<IActionResult> OnPostEnableAsync(string address) => SetDisabledAsync(address, disabled: false);

    public async Task<IActionResult> OnPostDeleteAsync(string address)
    {
        var outcome = await accounts.DeleteMailboxAsync(this.SignedIn().Actor, address ?? "", Core.Accounts.Surface.AdminPanel, this.ClientAddress(), HttpContext.RequestAborted).ConfigureAwait(false);
        return outcome.Succeeded ? Done("deleted", outcome.Value) : await FailAsync(outcome.Problem).ConfigureAwait(false);
    }

    public async Task<IActionResult> OnPostEndSessionsAsync(string address)
    {
        var outcome = await credentials.EndSessionsAsync(this.SignedIn().Actor, address ?? "", Core.Accounts.Surface.AdminPanel, this.ClientAddress(), HttpContext.RequestAborted).ConfigureAwait(false);
        return outcome.Succeeded ? Done("sessions", address!) : await FailAsync(outcome.Problem).ConfigureAwait(false);
    }

    private async Task<IActionResult> SetDisabledAsync(string address, bool disabled)
    {
        var outcome = await accounts.SetMailboxDisabledAsync(this.SignedIn().Actor, address ?? "", disabled, Core.Accounts.Surface.AdminPanel, this.ClientAddress(), HttpContext.RequestAborted).ConfigureAwait(false);
        return outcome.Succeeded ? Done(disabled ? "disabled" : "enabled", outcome.Value.Address) : await FailAsync(outcome.Problem).ConfigureAwait(false);
    }

    /// <summary>Post/redirect/get back to the same search, with a confirmation key (never a password) in the query.</summary>
    private RedirectResult Done(string done, string address)
    {
        var query = new List<string> { "done=" + done, "mailbox=" + Uri.EscapeDataString(address) };
        if (!string.IsNullOrWhiteSpace(Q))
        {
            query.Add("q=" + Uri.EscapeDataString(Q));
        }

        if (!string.IsNullOrWhiteSpace(Domain))
        {
            query.Add("domain=" + Uri.EscapeDataString(Domain));
        }

        if (PageNumber > 1)
        {
            query.Add("page=" + PageNumber.ToString(System.Globalization.CultureInfo.InvariantCulture));
        }

        return Redirect("/admin?" + string.Join('&', query));
    }

    private async Task<IActionResult> FailAsync(Problem problem)
    {
        Error = problem.Message;
        var result = await ShowAsync().ConfigureAwait(false);
        Response.StatusCode = AdminPages.StatusFor(problem);
        return result;
    }

    private async Task<IActionResult> ShowAsync()
    {
        var actor = this.SignedIn().Actor;
        var ct = HttpContext.RequestAborted;
        Domains = await accounts.ListDomainsAsync(actor, ct).ConfigureAwait(false);
        PageNumber = Math.Max(1, PageNumber);
        var search = await accounts.SearchMailboxesAsync(actor, Domain, Q, PageNumber, AdminPages.MailboxPageSize, ct).ConfigureAwait(false);
        if (search.Succeeded)
        {
            Mailboxes = search.Value;
        }
        else
        {
            Error ??= search.Problem.Message;
            Response.StatusCode = AdminPages.StatusFor(search.Problem);
        }

        // One pop-up serves every row, so its generator meets the strictest policy among the operator's domains;
        // the live checklist then shows the chosen mailbox's own policy.
        var strictest = PasswordPolicy.Create(platformPolicy.Value, new PasswordPolicyOverrides
        {
            MinLength = Domains.Select(d => d.PolicyOverrides.MinLength).Max(),
            RequireUppercase = Domains.Any(d => d.PolicyOverrides.RequireUppercase),
            RequireLowercase = Domains.Any(d => d.PolicyOverrides.RequireLowercase),
            RequireDigit = Domains.Any(d => d.PolicyOverrides.RequireDigit),
            RequireSymbol = Domains.Any(d => d.PolicyOverrides.RequireSymbol),
        });
        ResetDialog = new ResetForm("", strictest, ResetForm.Pending(strictest), InDialog: true);
        NewMailboxDialog = new NewMailboxForm(Domains.Select(d => d.Name).ToList(), strictest, InDialog: true);
        return Page();
    }

    /// <summary>Where a page link of the current search goes.</summary>
    public string PageLink(int page)
    {
        var query = new List<string>();
        if (!string.IsNullOrWhiteSpace(Q))
        {
            query.Add("q=" + Uri.EscapeDataString(Q));
        }

        if (!string.IsNullOrWhiteSpace(Domain))
        {
            query.Add("domain=" + Uri.EscapeDataString(Domain));
        }

        query.Add("page=" + page.ToString(System.Globalization.CultureInfo.InvariantCulture));
        return "/admin?" + string.Join('&', query);
    }
}
