using Mailstead.Core.Accounts;
using Mailstead.Core.Credentials;
using Mailstead.Web.Infrastructure;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Mailstead.Web.Pages.Admin.Mailboxes;

/// <summary>
/// A mailbox's new password and its recovery address, set by an operator without the current password. The Email
/// tab's pop-up posts here too, and its live checklist asks the Check handler. Permission is Core's: a forged
/// address is refused there.
/// </summary>
public sealed class EditModel(AccountService accounts, CredentialService credentials) : PageModel
{
    [BindProperty]
    public string Address { get; set; } = "";

    [BindProperty]
    public string? NewPassword { get; set; }

    [BindProperty]
    public bool MustChange { get; set; }

    [BindProperty]
    public string? RecoveryAddress { get; set; }

    public Mailbox? Mailbox { get; private set; }

    public ResetForm? Form { get; private set; }

    public RecoveryForm? Recovery { get; private set; }

    public Problem? Refused { get; private set; }

    /// <summary>A password the server generated, shown in this response once and never again.</summary>
    public string? GeneratedPassword { get; private set; }

    public async Task<IActionResult> OnGetAsync(string? address)
    {
        Address = address ?? "";
        return await ShowAsync(passwordError: null, criteria: null).ConfigureAwait(false);
    }

    public async Task<IActionResult> OnPostRecoveryAsync()
    {
        var outcome = await accounts.SetRecoveryAddressAsync(
            new RecoveryAddressChange(this.SignedIn().Actor, Address, RecoveryAddress, CurrentPassword: null, Surface.AdminPanel, this.ClientAddress()),
            HttpContext.RequestAborted).ConfigureAwait(false);
        if (outcome.Succeeded)
        {
            var done = outcome.Value.RecoveryAddress is null ? "recovery-removed" : "recovery";
            return Redirect($"/admin?done={done}&mailbox={Uri.EscapeDataString(outcome.Value.Address)}");
        }

        return outcome.Problem.Fields.TryGetValue(MailboxFields.RecoveryAddress, out var error)
            ? await ShowAsync(passwordError: null, criteria: null, recoveryError: error).ConfigureAwait(false)
            : Refuse(outcome.Problem);
    }

    public async Task<IActionResult> OnPostResetAsync()
    {
        var password = string.IsNullOrEmpty(NewPassword) ? null : NewPassword;
        NewPassword = null;
        var outcome = await credentials.ResetPasswordAsync(
            new PasswordResetRequest(this.SignedIn().Actor, Address, password, MustChange, Surface.AdminPanel, this.ClientAddress()),
            HttpContext.RequestAborted).ConfigureAwait(false);
        if (!outcome.Succeeded)
        {
            var problem = outcome.Problem;
            if (problem.Kind == ProblemKind.PolicyFailed)
            {
                return await ShowAsync(problem.Fields.GetValueOrDefault(PasswordFields.New) ?? problem.Message, problem.Policy?.Criteria).ConfigureAwait(false);
            }

            return Refuse(problem);
        }

        var address = EmailAddress.Parse(Address).Value;
        if (outcome.Value.GeneratedPassword is { } generated)
        {
            // Shown in this response only: a redirect would have to carry it in the URL.
            GeneratedPassword = generated;
            return await ShowAsync(passwordError: null, criteria: null).ConfigureAwait(false);
        }

        return Redirect($"/admin?done={(MustChange ? "reset-must" : "reset")}&mailbox={Uri.EscapeDataString(address)}");
    }

    /// <summary>The live checklist for the pop-up: the mailbox's own policy, once Core says the operator may manage it.</summary>
    public async Task<IActionResult> OnPostCheckAsync([FromBody] CheckRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var found = await accounts.FindMailboxAsync(this.SignedIn().Actor, request.Address ?? "", HttpContext.RequestAborted).ConfigureAwait(false);
        if (!found.Succeeded)
        {
            return new JsonResult(new { error = found.Problem.Message }) { StatusCode = AdminPages.StatusFor(found.Problem) };
        }

        var report = await credentials.CheckAsync(new CredentialOwner(CredentialOwnerKind.Mailbox, found.Value.Address), request.Password ?? "", currentPassword: null, HttpContext.RequestAborted).ConfigureAwait(false);
        return report.Succeeded
            ? new JsonResult(new { criteria = report.Value.Criteria.Select(c => new { id = c.Id, state = c.State.ToString().ToLowerInvariant(), sentence = c.Sentence }) })
            : NotFound();
    }

    private async Task<IActionResult> ShowAsync(string? passwordError, IReadOnlyList<PolicyCriterion>? criteria, string? recoveryError = null)
    {
        var found = await accounts.FindMailboxAsync(this.SignedIn().Actor, Address, HttpContext.RequestAborted).ConfigureAwait(false);
        if (!found.Succeeded)
        {
            return Refuse(found.Problem);
        }

        Mailbox = found.Value;
        Address = Mailbox.Address;
        var settings = await credentials.SettingsForAsync(new CredentialOwner(CredentialOwnerKind.Mailbox, Mailbox.Address), HttpContext.RequestAborted).ConfigureAwait(false);
        if (settings is null)
        {
            return Refuse(new Problem(ProblemKind.NotFound, $"There is no mailbox {Mailbox.Address}."));
        }

        Form = new ResetForm(Mailbox.Address, settings.Policy, criteria ?? ResetForm.Pending(settings.Policy), InDialog: false)
        {
            MustChange = MustChange,
            PasswordError = passwordError,
        };
        // After a refused recovery address the field keeps what was typed, beside the reason.
        Recovery = new RecoveryForm(Mailbox.Address, recoveryError is null ? Mailbox.RecoveryAddress : RecoveryAddress) { Error = recoveryError };
        if (passwordError is not null || recoveryError is not null)
        {
            Response.StatusCode = StatusCodes.Status422UnprocessableEntity;
        }

        return Page();
    }

    private PageResult Refuse(Problem problem)
    {
        Refused = problem;
        Response.StatusCode = AdminPages.StatusFor(problem);
        return Page();
    }

    public sealed record CheckRequest(string? Password, string? Address);
}
