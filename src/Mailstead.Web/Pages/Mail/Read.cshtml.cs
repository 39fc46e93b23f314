using System.Globalization;
using System.Text;
using Mailstead.Core.Accounts;
using Mailstead.Core.Mail;
using Mailstead.Core.Mime;
using Mailstead.Web.Webmail;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Net.Http.Headers;

namespace Mailstead.Web.Pages.Mail;

/// <summary>
/// One message: the page (marks it read), its sanitized HTML body for the sandboxed frame (handler Body, under a
/// Content-Security-Policy of its own), its parts (handler Part: attachments to download, inline images) and
/// its raw source (handler Source, as plain text).
/// </summary>
public sealed class ReadModel(UserMailService mail) : MailPageModel(mail)
{
    // The frame's document may show inline CSS and images from us (and, when allowed, from the web); nothing else.
    private const string BodyPolicy = "default-src 'none'; style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'; frame-ancestors 'self'; img-src ";

    // A downloaded part is never a page of ours: no script, no plugin, its own opaque origin.
    private const string PartPolicy = "default-src 'none'; img-src 'self'; style-src 'unsafe-inline'; sandbox";

    [FromQuery(Name = "folder")]
    public long FolderId { get; set; }

    [FromQuery(Name = "uid")]
    public long Uid { get; set; }

    /// <summary>The reader allowed remote images for this message (it is not remembered).</summary>
    [FromQuery(Name = "images")]
    public bool RemoteImages { get; set; }

    [TempData]
    public string? Notice { get; set; }

    public OpenedMessage Opened { get; private set; } = null!;

    public ReadableMessage Message { get; private set; } = null!;

    public int BlockedRemoteImages { get; private set; }

    public string MessageUrl => ReadUrl(FolderId, Uid);

    public string BackUrl => ListUrl(FolderId);

    public string BodyUrl => MessageUrl + "&handler=Body" + (RemoteImages ? "&images=true" : "");

    public string PartUrl(MessagePart part) => MessageUrl + "&handler=Part&part=" + Uri.EscapeDataString(part.Path);

    public async Task<IActionResult> OnGetAsync()
    {
        if (await OpenAsync(markSeen: true).ConfigureAwait(false) is { } failed)
        {
            return failed;
        }

        CurrentFolderId = FolderId;
        if (Opened.MarkedSeen)
        {
            CountAsRead(FolderId);
        }
        if (Message.Html is { } html)
        {
            BlockedRemoteImages = HtmlSanitizer.Sanitize(html, Inline, RemoteImages).BlockedRemoteImages;
        }

        return Page();
    }

    public async Task<IActionResult> OnGetBodyAsync()
    {
        if (await OpenAsync(markSeen: false).ConfigureAwait(false) is { } failed)
        {
            return failed;
        }

        var sanitized = HtmlSanitizer.Sanitize(Message.Html ?? "", Inline, RemoteImages);
        var origin = Request.Scheme + "://" + Request.Host.Value;
        Response.Headers.ContentSecurityPolicy = BodyPolicy + origin + (RemoteImages ? " https: http:" : "");
        Response.Headers.XFrameOptions = "SAMEORIGIN";
        var document = new StringBuilder()
            .Append("<!DOCTYPE html><html><head><meta charset=\"utf-8\"><meta name=\"referrer\" content=\"no-referrer\">")
            .Append("<style>html{color-scheme:light}body{margin:0;padding:4px 2px;font:15px/1.5 system-ui,-apple-system,\"Segoe UI\",Roboto,Arial,sans-serif;color:#18202b;background:#fff;overflow-wrap:anywhere}img{max-width:100%;height:auto}table{max-width:100%}blockquote{margin:0 0 0 .8em;padding-left:.8em;border-left:3px solid #c9d0d9;color:#5a6676}pre{white-space:pre-wrap}</style>")
            .Append("</head><body>").Append(sanitized.Html).Append("</body></html>");
        return Content(document.ToString(), "text/html; charset=utf-8");
    }

    /// <summary>An attachment (downloaded: Content-Disposition attachment) or, with <paramref name="inline"/>, an image the body shows.</summary>
    public async Task<IActionResult> OnGetPartAsync(string part, bool inline = false)
    {
        if (await OpenAsync(markSeen: false).ConfigureAwait(false) is { } failed)
        {
            return failed;
        }

        var known = Message.Attachments.Concat(Message.InlineByContentId.Values).FirstOrDefault(p => p.Path == part);
        var entity = known is null ? null : Message.Find(known.Path);
        if (known is null || entity is null)
        {
            return NotFound();
        }

        var bytes = entity.Kind == MimeEntityKind.Leaf ? entity.DecodeContent() : entity.BodyBytes.ToArray();
        var showInline = inline && known.MediaType is "image/png" or "image/jpeg" or "image/gif" or "image/webp";
        Response.Headers.ContentSecurityPolicy = PartPolicy;
        var disposition = new ContentDispositionHeaderValue(showInline ? "inline" : "attachment");
        disposition.SetHttpFileName(known.DisplayName);
        Response.Headers.ContentDisposition = disposition.ToString();
        var type = known.MediaType.Contains('/', StringComparison.Ordinal) && MediaTypeHeaderValue.TryParse(known.MediaType, out _) ? known.MediaType : "application/octet-stream";
        return File(bytes, type);
    }

    public async Task<IActionResult> OnGetSourceAsync()
    {
        if (await OpenAsync(markSeen: false).ConfigureAwait(false) is { } failed)
        {
            return failed;
        }

        Response.Headers.ContentSecurityPolicy = PartPolicy;
        return File(Opened.Raw, "text/plain; charset=utf-8");
    }

    private string? Inline(string contentId) =>
        Message.InlineByContentId.TryGetValue(contentId, out var part) ? PartUrl(part) + "&inline=true" : null;

    private async Task<IActionResult?> OpenAsync(bool markSeen)
    {
        var opened = await Mail.OpenAsync(Address, FolderId, Uid, markSeen, HttpContext.RequestAborted).ConfigureAwait(false);
        if (!opened.Succeeded)
        {
            return opened.Problem.Kind == ProblemKind.NotFound ? NotFound() : Forbid();
        }

        Opened = opened.Value;
        Message = ReadableMessage.Read(opened.Value.Raw);
        return null;
    }

    public string FormatDate()
    {
        var date = Message.Date ?? new DateTimeOffset(DateTime.SpecifyKind(Opened.Message.InternalDate, DateTimeKind.Utc));
        return date.ToString("ddd, d MMM yyyy HH:mm zzz", CultureInfo.InvariantCulture);
    }

    public string IsoDate() =>
        (Message.Date ?? new DateTimeOffset(DateTime.SpecifyKind(Opened.Message.InternalDate, DateTimeKind.Utc))).ToString("O", CultureInfo.InvariantCulture);

    public bool Flagged => Opened.Message.Flags.Has(SystemFlags.Flagged);
}
