using System.Globalization;
using Mailstead.Core.Accounts;
using Mailstead.Core.Mail;
using Mailstead.Web.Infrastructure;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Mailstead.Web.Pages.Mail;

/// <summary>
/// One POST endpoint for what the list's toolbar and the message page do to messages: mark read or unread,
/// flag, move, delete. The service checks that the folders are the signed-in mailbox's own.
/// </summary>
public sealed class ActionsModel(UserMailService mail) : PageModel
{
    [BindProperty(Name = "folder")]
    public long FolderId { get; set; }

    [BindProperty(Name = "uid")]
    public List<long> Uids { get; set; } = [];

    [BindProperty(Name = "do")]
    public string Action { get; set; } = "";

    [BindProperty(Name = "target")]
    public long? TargetFolderId { get; set; }

    [BindProperty(Name = "returnUrl")]
    public string? ReturnUrl { get; set; }

    /// <summary>"list": go back to the folder's list (the message page's Delete, Move, Mark unread) instead of <see cref="ReturnUrl"/>.</summary>
    [BindProperty(Name = "back", SupportsGet = true)]
    public string? Back { get; set; }

    [TempData]
    public string? Notice { get; set; }

    public IActionResult OnGet() => Redirect("/mail");

    public async Task<IActionResult> OnPostAsync()
    {
        var back = Back != "list" && ReturnUrl is { } url && url.StartsWith("/mail", StringComparison.Ordinal) && Url.IsLocalUrl(url)
            ? url
            : "/mail?folder=" + FolderId.ToString(CultureInfo.InvariantCulture);
        if (Uids.Count == 0)
        {
            Notice = "Select one or more messages first.";
            return Redirect(back);
        }

        if (Action == "move" && TargetFolderId is null)
        {
            Notice = "Choose the folder to move to.";
            return Redirect(back);
        }

        var address = this.SignedIn().Login;
        var ct = HttpContext.RequestAborted;
        var done = Action switch
        {
            "read" => await mail.SetFlagAsync(address, FolderId, Uids, SystemFlags.Seen, set: true, ct).ConfigureAwait(false),
            "unread" => await mail.SetFlagAsync(address, FolderId, Uids, SystemFlags.Seen, set: false, ct).ConfigureAwait(false),
            "flag" => await mail.SetFlagAsync(address, FolderId, Uids, SystemFlags.Flagged, set: true, ct).ConfigureAwait(false),
            "unflag" => await mail.SetFlagAsync(address, FolderId, Uids, SystemFlags.Flagged, set: false, ct).ConfigureAwait(false),
            "move" when TargetFolderId is { } target => await mail.MoveAsync(address, FolderId, Uids, target, ct).ConfigureAwait(false),
            "delete" => await mail.DeleteAsync(address, FolderId, Uids, ct).ConfigureAwait(false),
            _ => new Problem(ProblemKind.Invalid, "That action is not known."),
        };
        if (!done.Succeeded)
        {
            return done.Problem.Kind == ProblemKind.NotFound ? NotFound() : BadRequest();
        }

        Notice = Action switch
        {
            "move" => Count(done.Value, "moved"),
            "delete" => Count(done.Value, "deleted"),
            _ => null,
        };
        return Redirect(back);
    }

    private static string Count(int count, string what) =>
        count == 1 ? $"1 message {what}." : string.Create(CultureInfo.InvariantCulture, $"{count:N0} messages {what}.");
}
