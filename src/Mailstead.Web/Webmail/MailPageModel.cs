using System.Globalization;
using Mailstead.Core.Mail;
using Mailstead.Web.Infrastructure;
using Microsoft.AspNetCore.Mvc.Filters;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Mailstead.Web.Webmail;

/// <summary>A signed-in webmail page: the folder list of the layout is loaded once, before the handler runs.</summary>
public abstract class MailPageModel(UserMailService mail) : PageModel
{
    protected UserMailService Mail => mail;

    public IReadOnlyList<FolderSummary> Folders { get; private set; } = [];

    /// <summary>The folder the page shows (highlighted in the folder list); null on pages about no folder.</summary>
    public long? CurrentFolderId { get; protected set; }

    public string Address => this.SignedIn().Login;

    public override async Task OnPageHandlerExecutionAsync(PageHandlerExecutingContext context, PageHandlerExecutionDelegate next)
    {
        ArgumentNullException.ThrowIfNull(next);
        if (HttpContext.Features.Get<SignedIn>() is { } signedIn)
        {
            var folders = await mail.FoldersAsync(signedIn.Login, HttpContext.RequestAborted).ConfigureAwait(false);
            Folders = folders.Succeeded ? folders.Value : [];
        }

        await next().ConfigureAwait(false);
    }

    /// <summary>The folder list shows one unread message fewer in the folder (the page just marked one read), without counting again.</summary>
    protected void CountAsRead(long folderId) =>
        Folders = [.. Folders.Select(f => f.Folder.Id == folderId && f.Unseen > 0 ? f with { Unseen = f.Unseen - 1 } : f)];

    public FolderSummary? FolderById(long id) => Folders.FirstOrDefault(f => f.Folder.Id == id);

    public FolderSummary? Inbox => Folders.FirstOrDefault(f => f.Folder.Name == MailFolder.InboxName);

    public static string ListUrl(long folderId) => "/mail?folder=" + folderId.ToString(CultureInfo.InvariantCulture);

    public static string ReadUrl(long folderId, long uid) =>
        string.Create(CultureInfo.InvariantCulture, $"/mail/read?folder={folderId}&uid={uid}");
}
