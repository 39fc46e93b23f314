using Mailstead.Core.Sessions;
using Mailstead.Web.Infrastructure;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Mailstead.Web.Pages.Account;

/// <summary>Every browser signed in to this mailbox; end one, or all but this one.</summary>
public sealed class SessionsModel(SessionService sessions) : PageModel
{
    public IReadOnlyList<WebSession> Sessions { get; private set; } = [];

    public long CurrentId { get; private set; }

    public string? Message { get; private set; }

    public async Task OnGetAsync(string? ended = null)
    {
        var signedIn = this.SignedIn();
        CurrentId = signedIn.Session.Session.Id;
        Sessions = await sessions.ListAsync(signedIn.Owner, HttpContext.RequestAborted).ConfigureAwait(false);
        Message = ended switch
        {
            "one" => "The session was ended. That browser is signed out at its next click.",
            "others" => "Every other session was ended. Only this browser is still signed in.",
            _ => null,
        };
    }

    public async Task<IActionResult> OnPostEndAsync(long id)
    {
        var signedIn = this.SignedIn();
        if (id == signedIn.Session.Session.Id)
        {
            return Redirect("/account/logout");
        }

        await sessions.EndAsync(signedIn.Owner, id, HttpContext.RequestAborted).ConfigureAwait(false);
        return Redirect("/account/sessions?ended=one");
    }

    public async Task<IActionResult> OnPostEndOthersAsync()
    {
        var signedIn = this.SignedIn();
        await sessions.EndOthersAsync(signedIn.Owner, signedIn.Session.Session.Id, HttpContext.RequestAborted).ConfigureAwait(false);
        return Redirect("/account/sessions?ended=others");
    }
}
