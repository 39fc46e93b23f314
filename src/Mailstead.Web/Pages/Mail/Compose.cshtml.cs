using Mailstead.Core.Mail;
using Mailstead.Core.Mime;
using Mailstead.Web.Infrastructure;
using Mailstead.Web.Webmail;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.Filters;

namespace Mailstead.Web.Pages.Mail;

/// <summary>
/// Writing a new message: recipients, subject, text and attachments, sent through the same pipeline as SMTP
/// submission with a copy in Sent. While the user writes, the page saves a draft in Drafts (compose.js, every few
/// seconds after a change; **Save draft** without JavaScript); a draft opened from Drafts carries on where it was. A
/// refused form comes back with the reason beside the field and nothing typed lost.
/// </summary>
// Uploads up to the largest message the server takes, with room for base64 (4/3) and the rest of the message; the
// pipeline then refuses anything over Mailstead:Mail:MaxMessageBytes with the numbers.
[RequestSizeLimit(MaxUploadBytes)]
[RequestFormLimits(MultipartBodyLengthLimit = MaxUploadBytes)]
[ComposeModel.UploadTooLarge]
public sealed class ComposeModel(UserMailService mail) : MailPageModel(mail)
{
    private const long MaxUploadBytes = 100L << 20;

    /// <summary>What attachments may add up to: base64 makes them a third larger in the message (RFC 2045 §6.8).</summary>
    public long MaxAttachmentBytes => Mail.MaxMessageBytes / 4 * 3;

    [BindProperty]
    public string To { get; set; } = "";

    [BindProperty]
    public string Cc { get; set; } = "";

    [BindProperty]
    public string Bcc { get; set; } = "";

    [BindProperty]
    public string Subject { get; set; } = "";

    [BindProperty]
    public string Text { get; set; } = "";

    [BindProperty]
    public IReadOnlyList<IFormFile> Attachments { get; set; } = [];

    /// <summary>The message replied to or forwarded (with <see cref="OriginalUid"/> and <see cref="Mode"/>); none for a new message.</summary>
    [BindProperty]
    public long? OriginalFolder { get; set; }

    [BindProperty]
    public long? OriginalUid { get; set; }

    [BindProperty]
    public ComposeMode Mode { get; set; }

    /// <summary>The draft this message continues (UID in Drafts); each save replaces it.</summary>
    [BindProperty]
    public long? DraftUid { get; set; }

    /// <summary>The draft's attachments the user keeps (<see cref="MessagePart.Path"/>).</summary>
    [BindProperty]
    public IReadOnlyList<string> KeptAttachments { get; set; } = [];

    /// <summary>The attachments the draft holds, listed with a box to keep each.</summary>
    public IReadOnlyList<MessagePart> DraftAttachments { get; private set; } = [];

    /// <summary>The draft was saved by this request (or the one just before it): the page says so.</summary>
    public bool DraftSaved { get; private set; }

    public string Heading => Mode switch
    {
        ComposeMode.Reply or ComposeMode.ReplyAll => "Reply",
        ComposeMode.Forward or ComposeMode.ForwardAsAttachment => "Forward",
        _ => "New message",
    };

    public string? Error { get; private set; }

    /// <summary>Recipients the message could not reach (it went to the others), after a partly successful send.</summary>
    public IReadOnlyList<RecipientOutcome> Refused { get; private set; } = [];

    public async Task<IActionResult> OnGetAsync(long? folder = null, long? uid = null, ComposeMode mode = ComposeMode.New, long? draft = null, bool saved = false, bool tooLarge = false)
    {
        if (tooLarge)
        {
            ModelState.AddModelError(nameof(Attachments), $"The files were over {MailFormat.Size(MaxUploadBytes)}, more than the form takes at once, so nothing was sent. Attach files of at most {MailFormat.Size(MaxAttachmentBytes)} in all.");
        }

        (long Folder, long Uid)? original = folder is { } folderId && uid is { } messageUid && mode != ComposeMode.New ? (folderId, messageUid) : null;
        if (draft is { } draftUid)
        {
            // A draft being written keeps its original for \Answered on sending; its text is the draft's own.
            var opened = await Mail.OpenDraftAsync(Address, draftUid, HttpContext.RequestAborted).ConfigureAwait(false);
            if (!opened.Succeeded)
            {
                return NotFound();
            }

            Fill(opened.Value);
            (DraftUid, DraftAttachments, KeptAttachments) = (draftUid, opened.Value.Attachments, [.. opened.Value.Attachments.Select(a => a.Path)]);
            DraftSaved = saved;
        }
        else if (original is { } reference)
        {
            var started = await Mail.StartReplyOrForwardAsync(Address, reference.Folder, reference.Uid, mode, HttpContext.RequestAborted).ConfigureAwait(false);
            if (!started.Succeeded)
            {
                return NotFound();
            }

            Fill(started.Value);
        }

        if (original is { } replied)
        {
            (OriginalFolder, OriginalUid, Mode) = (replied.Folder, replied.Uid, mode);
        }

        return Page();
    }

    public async Task<IActionResult> OnPostAsync()
    {
        // The service judges the form (an empty Cc is fine; MVC's implicit "required" for strings is not wanted here).
        ModelState.Clear();
        var message = await ComposedAsync().ConfigureAwait(false);
        var sent = await Mail.SendAsync(Address, message, SubmissionTrace.Web(this.ClientAddress(), Request.IsHttps), HttpContext.RequestAborted).ConfigureAwait(false);
        if (!sent.Succeeded)
        {
            foreach (var (field, problem) in sent.Problem.Fields)
            {
                ModelState.AddModelError(field, problem);
            }

            // A message too large is the attachments' doing: say it beside them.
            if (sent.Problem.Fields.Count == 0 && sent.Problem.Kind == Core.Accounts.ProblemKind.Denied && message.Attachments.Count + KeptAttachments.Count > 0)
            {
                ModelState.AddModelError(nameof(Attachments), sent.Problem.Message);
            }
            else if (sent.Problem.Fields.Count == 0)
            {
                Error = sent.Problem.Message;
            }

            // Files the browser sent cannot be put back into the file field: keep them in the draft instead.
            await KeepInDraftAsync(message).ConfigureAwait(false);
            return Page();
        }

        Refused = [.. sent.Value.Recipients.Where(r => !r.Succeeded)];
        if (Refused.Count > 0)
        {
            Error = sent.Value.Recipients.Any(r => r.Succeeded)
                ? "The message was sent, but not to every recipient."
                : "The message could not be sent to any recipient.";
            await KeepInDraftAsync(message).ConfigureAwait(false);
            return Page();
        }

        return Redirect(sent.Value.SentCopy is { } copy ? ListUrl(copy.FolderId) : "/mail");
    }

    /// <summary>
    /// Saves the form as a draft. compose.js asks for JSON (the draft's new UID and attachments, to carry on with);
    /// the **Save draft** button without JavaScript comes back to the form, opened from the draft.
    /// </summary>
    public async Task<IActionResult> OnPostDraftAsync()
    {
        ModelState.Clear();
        var saved = await Mail.SaveDraftAsync(Address, await ComposedAsync().ConfigureAwait(false), HttpContext.RequestAborted).ConfigureAwait(false);
        var script = Request.Headers.Accept.Any(a => a?.Contains("application/json", StringComparison.OrdinalIgnoreCase) == true);
        if (!saved.Succeeded)
        {
            if (script)
            {
                return new JsonResult(new { error = saved.Problem.Message }) { StatusCode = StatusCodes.Status422UnprocessableEntity };
            }

            Error = "The draft could not be saved: " + saved.Problem.Message;
            return Page();
        }

        if (script)
        {
            return new JsonResult(new
            {
                uid = saved.Value.Uid,
                attachments = saved.Value.Attachments.Select(a => new { path = a.Path, name = a.DisplayName, size = MailFormat.Size(a.Size), bytes = a.Size }),
            });
        }

        var original = OriginalFolder is { } folder && OriginalUid is { } uid ? $"&folder={folder}&uid={uid}&mode={Mode}" : "";
        return Redirect($"/mail/compose?draft={saved.Value.Uid}&saved=true{original}");
    }

    /// <summary>Discard: the draft, if one was saved, is deleted for good.</summary>
    public async Task<IActionResult> OnPostDiscardAsync()
    {
        if (DraftUid is { } uid)
        {
            await Mail.DiscardDraftAsync(Address, uid, HttpContext.RequestAborted).ConfigureAwait(false);
        }

        return Redirect("/mail");
    }

    private async Task<ComposedMessage> ComposedAsync()
    {
        var files = new List<OutgoingAttachment>();
        foreach (var file in Attachments.Where(f => f.Length > 0))
        {
            using var content = new MemoryStream();
            await file.CopyToAsync(content, HttpContext.RequestAborted).ConfigureAwait(false);
            files.Add(new OutgoingAttachment(Path.GetFileName(file.FileName), content.ToArray(), string.IsNullOrEmpty(file.ContentType) || file.ContentType == "application/octet-stream" ? null : file.ContentType));
        }

        // An empty field binds as null.
        return new ComposedMessage(To ?? "", Cc ?? "", Bcc ?? "", Subject ?? "", Text ?? "")
        {
            Attachments = files,
            Original = OriginalFolder is { } folder && OriginalUid is { } uid ? (folder, uid) : null,
            Mode = Mode,
            DraftUid = DraftUid,
            KeptAttachments = KeptAttachments,
        };
    }

    // After a refusal: the page shows the draft's attachments again, with the files just sent kept in a new draft.
    private async Task KeepInDraftAsync(ComposedMessage message)
    {
        if (message.Attachments.Count > 0
            && await Mail.SaveDraftAsync(Address, message, HttpContext.RequestAborted).ConfigureAwait(false) is { Succeeded: true } saved)
        {
            (DraftUid, DraftAttachments, KeptAttachments) = (saved.Value.Uid, saved.Value.Attachments, [.. saved.Value.Attachments.Select(a => a.Path)]);
            DraftSaved = true;
        }
        else if (DraftUid is { } uid && await Mail.OpenDraftAsync(Address, uid, HttpContext.RequestAborted).ConfigureAwait(false) is { Succeeded: true } draft)
        {
            DraftAttachments = draft.Value.Attachments;
        }
    }

    /// <summary>
    /// An upload over the request limit would fail while the form is read (the antiforgery check reads it first and
    /// answers a bare 400): say so beside Attachments instead, before anything is read. Browsers send a form's length.
    /// </summary>
    [AttributeUsage(AttributeTargets.Class)]
    private sealed class UploadTooLargeAttribute : Attribute, IAuthorizationFilter, IOrderedFilter
    {
        public int Order => int.MinValue;

        public void OnAuthorization(AuthorizationFilterContext context)
        {
            if (context.HttpContext.Request.ContentLength > MaxUploadBytes)
            {
                context.Result = new RedirectResult("/mail/compose?tooLarge=true");
            }
        }
    }

    private void Fill(ComposeDraft draft) => (To, Cc, Bcc, Subject, Text) = (draft.To, draft.Cc, draft.Bcc, draft.Subject, draft.Text);

    public static string Explain(RecipientStatus status) => status switch
    {
        RecipientStatus.NoSuchMailbox => "there is no such mailbox here",
        RecipientStatus.MailboxDisabled => "the mailbox is disabled",
        RecipientStatus.MailboxFull => "the mailbox is full",
        RecipientStatus.MessageTooLarge => "the message is too large for it",
        RecipientStatus.InvalidAddress => "not an email address",
        RecipientStatus.TemporaryFailure => "it could not be stored now; try again later",
        _ => status.ToString(),
    };
}
