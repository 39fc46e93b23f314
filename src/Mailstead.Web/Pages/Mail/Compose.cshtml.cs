using Mailstead.Core.Mail;
using Mailstead.Core.Mime;
using Mailstead.Web.Infrastructure;
using Mailstead.Web.Webmail;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;

namespace Mailstead.Web.Pages.Mail;

/// <summary>
/// Writing a new message: recipients, subject, text and attachments, sent through the same pipeline as SMTP
/// submission with a copy in Sent. A refused form comes back with the reason beside the field and nothing typed lost.
/// </summary>
// Uploads up to the largest message the server takes, with room for base64 (4/3) and the rest of the message; the
// pipeline then refuses anything over Mailstead:Mail:MaxMessageBytes with the numbers.
[RequestSizeLimit(MaxUploadBytes)]
[RequestFormLimits(MultipartBodyLengthLimit = MaxUploadBytes)]
public sealed class ComposeModel(UserMailService mail) : MailPageModel(mail)
{
    private const long MaxUploadBytes = 100L << 20;

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

    public string Heading => Mode switch
    {
        ComposeMode.Reply or ComposeMode.ReplyAll => "Reply",
        ComposeMode.Forward or ComposeMode.ForwardAsAttachment => "Forward",
        _ => "New message",
    };

    public string? Error { get; private set; }

    /// <summary>Recipients the message could not reach (it went to the others), after a partly successful send.</summary>
    public IReadOnlyList<RecipientOutcome> Refused { get; private set; } = [];

    public async Task<IActionResult> OnGetAsync(long? folder = null, long? uid = null, ComposeMode mode = ComposeMode.New)
    {
        if (folder is not { } folderId || uid is not { } messageUid || mode == ComposeMode.New)
        {
            return Page();
        }

        var draft = await Mail.DraftAsync(Address, folderId, messageUid, mode, HttpContext.RequestAborted).ConfigureAwait(false);
        if (!draft.Succeeded)
        {
            return NotFound();
        }

        (To, Cc, Subject, Text) = (draft.Value.To, draft.Value.Cc, draft.Value.Subject, draft.Value.Text);
        (OriginalFolder, OriginalUid, Mode) = (folderId, messageUid, mode);
        return Page();
    }

    public async Task<IActionResult> OnPostAsync()
    {
        // The service judges the form (an empty Cc is fine; MVC's implicit "required" for strings is not wanted here).
        ModelState.Clear();
        var files = new List<OutgoingAttachment>();
        foreach (var file in Attachments.Where(f => f.Length > 0))
        {
            using var content = new MemoryStream();
            await file.CopyToAsync(content, HttpContext.RequestAborted).ConfigureAwait(false);
            files.Add(new OutgoingAttachment(Path.GetFileName(file.FileName), content.ToArray(), string.IsNullOrEmpty(file.ContentType) || file.ContentType == "application/octet-stream" ? null : file.ContentType));
        }

        var sent = await Mail.SendAsync(
            Address,
            new ComposedMessage(To, Cc, Bcc, Subject, Text)
            {
                Attachments = files,
                Original = OriginalFolder is { } folder && OriginalUid is { } uid ? (folder, uid) : null,
                Mode = Mode,
            },
            SubmissionTrace.Web(this.ClientAddress(), Request.IsHttps),
            HttpContext.RequestAborted).ConfigureAwait(false);
        if (!sent.Succeeded)
        {
            foreach (var (field, message) in sent.Problem.Fields)
            {
                ModelState.AddModelError(field, message);
            }

            // A message too large is the attachments' doing: say it beside them.
            if (sent.Problem.Fields.Count == 0 && sent.Problem.Kind == Core.Accounts.ProblemKind.Denied && files.Count > 0)
            {
                ModelState.AddModelError(nameof(Attachments), sent.Problem.Message);
            }
            else if (sent.Problem.Fields.Count == 0)
            {
                Error = sent.Problem.Message;
            }

            return Page();
        }

        Refused = [.. sent.Value.Recipients.Where(r => !r.Succeeded)];
        if (Refused.Count > 0)
        {
            Error = sent.Value.Recipients.Any(r => r.Succeeded)
                ? "The message was sent, but not to every recipient."
                : "The message could not be sent to any recipient.";
            return Page();
        }

        return Redirect(sent.Value.SentCopy is { } copy ? ListUrl(copy.FolderId) : "/mail");
    }

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
