using Mailstead.Core.Accounts;
using Mailstead.Core.Mail;
using Mailstead.Web.Webmail;
using Microsoft.AspNetCore.Mvc;

namespace Mailstead.Web.Pages.Mail;

/// <summary>Create, rename and delete folders. A refusal re-renders the page with the reason beside the field or row it is about.</summary>
public sealed class FoldersModel(UserMailService mail) : MailPageModel(mail)
{
    [BindProperty]
    public string? NewName { get; set; }

    [BindProperty]
    public long FolderId { get; set; }

    [TempData]
    public string? Notice { get; set; }

    /// <summary>The folder whose row shows <see cref="RowError"/> (a refused rename or delete).</summary>
    public long? ErrorFolderId { get; private set; }

    public string? RowError { get; private set; }

    /// <summary>What the refused rename asked for, shown again in its field.</summary>
    public string? RenameAttempt { get; private set; }

    public async Task<IActionResult> OnPostCreateAsync()
    {
        var created = await Mail.CreateFolderAsync(Address, NewName ?? "", HttpContext.RequestAborted).ConfigureAwait(false);
        if (!created.Succeeded)
        {
            ModelState.AddModelError(nameof(NewName), created.Problem.Message);
            return Page();
        }

        Notice = $"Folder \"{created.Value.Name}\" created.";
        return Redirect("/mail/folders");
    }

    public async Task<IActionResult> OnPostRenameAsync()
    {
        var renamed = await Mail.RenameFolderAsync(Address, FolderId, NewName ?? "", HttpContext.RequestAborted).ConfigureAwait(false);
        if (!renamed.Succeeded)
        {
            return RowRefused(renamed.Problem, NewName);
        }

        Notice = $"Folder renamed to \"{renamed.Value.Name}\".";
        return Redirect("/mail/folders");
    }

    public async Task<IActionResult> OnPostDeleteAsync()
    {
        var deleted = await Mail.DeleteFolderAsync(Address, FolderId, HttpContext.RequestAborted).ConfigureAwait(false);
        if (!deleted.Succeeded)
        {
            return RowRefused(deleted.Problem, null);
        }

        Notice = $"Folder \"{deleted.Value.Name}\" and its messages deleted.";
        return Redirect("/mail/folders");
    }

    public async Task<IActionResult> OnPostEmptyTrashAsync()
    {
        var emptied = await Mail.EmptyTrashAsync(Address, HttpContext.RequestAborted).ConfigureAwait(false);
        if (!emptied.Succeeded)
        {
            return BadRequest();
        }

        Notice = emptied.Value == 1 ? "1 message deleted for good." : $"{emptied.Value:N0} messages deleted for good.";
        var trash = Folders.FirstOrDefault(f => f.Folder.SpecialUse == SpecialUse.Trash);
        return Redirect(trash is null ? "/mail" : ListUrl(trash.Folder.Id));
    }

    private IActionResult RowRefused(Problem problem, string? attempt)
    {
        if (problem.Kind == ProblemKind.NotFound)
        {
            return NotFound();
        }

        ErrorFolderId = FolderId;
        RowError = problem.Message;
        RenameAttempt = attempt;
        return Page();
    }
}
