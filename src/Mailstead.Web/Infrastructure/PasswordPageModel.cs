using Mailstead.Core.Credentials;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Mailstead.Web.Infrastructure;

/// <summary>
/// "Change your password": current, new, confirmation, with the policy as a live checklist. Shared by the user
/// panel, the admin panel (an operator's own password) and the webmail's My Account. On success every other session
/// and every mail connection of the account ends; this browser continues in a new session, or, where the surface
/// says so (the webmail's "log me out from everywhere"), is signed out too and sent to the sign-in page.
/// </summary>
[AllowedBeforePasswordChange]
public abstract class PasswordPageModel(CredentialService credentials, WebSignIn signIn) : PageModel
{
    protected abstract WebSurface Surface { get; }

    /// <summary>Whether a successful change signs this browser out as well.</summary>
    protected virtual bool SignsOutHere => false;

    public virtual string SubmitLabel => "Change";

    [BindProperty]
    public string CurrentPassword { get; set; } = "";

    [BindProperty]
    public string NewPassword { get; set; } = "";

    [BindProperty]
    public string ConfirmPassword { get; set; } = "";

    public CredentialSettings Settings { get; private set; } = null!;

    public IReadOnlyList<PolicyCriterion> Criteria { get; private set; } = [];

    public string? Error { get; private set; }

    public bool Changed { get; private set; }

    public string CheckUrl => Surface.PasswordPath + "?handler=Check";

    public async Task<IActionResult> OnGetAsync(bool changed = false)
    {
        if (!await LoadAsync().ConfigureAwait(false))
        {
            return Redirect(Surface.LoginPath);
        }

        Changed = changed;
        Criteria = [.. Settings.Policy.Check("", new PolicyContext(null, null, null)).Criteria.Select(c => c with { State = CriterionState.Pending })];
        return Page();
    }

    public async Task<IActionResult> OnPostAsync()
    {
        if (!await LoadAsync().ConfigureAwait(false))
        {
            return Redirect(Surface.LoginPath);
        }

        var owner = this.SignedIn().Owner;
        var outcome = await credentials.ChangeOwnPasswordAsync(
            new PasswordChangeRequest(owner, CurrentPassword, NewPassword, ConfirmPassword, Surface.Surface, this.ClientAddress()),
            HttpContext.RequestAborted).ConfigureAwait(false);
        if (outcome.Succeeded)
        {
            if (SignsOutHere)
            {
                // The change already ended this session with every other one; this forgets its cookie.
                await signIn.SignOutAsync(HttpContext, Surface).ConfigureAwait(false);
                return Redirect(Surface.LoginPath + "?changed=true");
            }

            await signIn.StartAsync(HttpContext, Surface, owner, outcome.Value.Epoch).ConfigureAwait(false);
            return Redirect(Surface.PasswordPath + "?changed=true");
        }

        // Never echo passwords back into the page.
        CurrentPassword = NewPassword = ConfirmPassword = "";
        var problem = outcome.Problem;
        foreach (var (field, message) in problem.Fields)
        {
            ModelState.AddModelError(FieldName(field), message);
        }

        Error = problem.Fields.Count == 0 ? problem.Message : null;
        Criteria = problem.Policy?.Criteria ?? Settings.Policy.Check("", new PolicyContext(null, null, null)).Criteria;
        return Page();
    }

    /// <summary>The live checklist: the server's judgement of what is typed so far, as JSON.</summary>
    public async Task<IActionResult> OnPostCheckAsync([FromBody] CheckRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var report = await credentials.CheckAsync(this.SignedIn().Owner, request.Password ?? "", request.CurrentPassword, HttpContext.RequestAborted).ConfigureAwait(false);
        return report.Succeeded
            ? new JsonResult(new { criteria = report.Value.Criteria.Select(c => new { id = c.Id, state = c.State.ToString().ToLowerInvariant(), sentence = c.Sentence }) })
            : NotFound();
    }

    private async Task<bool> LoadAsync()
    {
        var settings = await credentials.SettingsForAsync(this.SignedIn().Owner, HttpContext.RequestAborted).ConfigureAwait(false);
        Settings = settings!;
        return settings is not null;
    }

    private static string FieldName(string field) => field switch
    {
        PasswordFields.Current => nameof(CurrentPassword),
        PasswordFields.New => nameof(NewPassword),
        PasswordFields.Confirmation => nameof(ConfirmPassword),
        _ => "",
    };

    public sealed record CheckRequest(string? Password, string? CurrentPassword);
}
