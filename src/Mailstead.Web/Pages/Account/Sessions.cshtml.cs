using Mailstead.Core.Sessions;
using Mailstead.Web.Infrastructure;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Mailstead.Web.Pages.Account;

/// <summary>Every browser signed in to this mailbox; end one, or all but this one.</summary>
public sealed class SessionsModel(SessionService sessions, ConnectionRegistry connections) : PageModel
{
    public IReadOnlyList<WebSession> Sessions { get; private set; } = [];

    /// <summary>Mail programs connected right now (IMAP, POP3, SMTP submission).</summary>
    public IReadOnlyList<LiveConnection> Connections { get; private set; } = [];

    public long CurrentId { get; private set; }

    public string? Message { get; private set; }

    public async Task OnGetAsync(string? ended = null)
    {
        var signedIn = this.SignedIn();
        CurrentId = signedIn.Session.Session.Id;
        Sessions = await sessions.ListAsync(signedIn.Owner, HttpContext.RequestAborted).ConfigureAwait(false);
        Connections = connections.List(signedIn.Owner);
        Message = ended switch
        {
            "one" => "The session was ended. That browser is signed out at its next click.",
            "connection" => "The connection was closed. A mail program that still knows the password reconnects; change the password to keep it out.",
            "gone" => "That connection had already closed.",
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

    public IActionResult OnPostEndConnection(long id) =>
        Redirect(connections.End(this.SignedIn().Owner, id) ? "/account/sessions?ended=connection" : "/account/sessions?ended=gone");

    public async Task<IActionResult> OnPostEndOthersAsync()
    {
        var signedIn = this.SignedIn();
        await sessions.EndOthersAsync(signedIn.Owner, signedIn.Session.Session.Id, HttpContext.RequestAborted).ConfigureAwait(false);
        return Redirect("/account/sessions?ended=others");
    }
}
