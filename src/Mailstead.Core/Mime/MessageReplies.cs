using System.Net;
using System.Text;
using System.Text.RegularExpressions;
using Mailstead.Core.Accounts;

namespace Mailstead.Core.Mime;

// What the compose form starts with for a reply: recipients, subject, threading
// fields (RFC 5322 §3.6.4) and the quoted text.
public sealed record ReplyDraft(IReadOnlyList<NamedAddress> To, IReadOnlyList<NamedAddress> Cc, string Subject, string? InReplyTo, IReadOnlyList<string> References, string Text);

// What the compose form starts with for an inline forward: the original's
// header block and text, and its attachments to send on.
public sealed record ForwardDraft(string Subject, string Text, IReadOnlyList<OutgoingAttachment> Attachments);

// Reply, reply all and forward, derived from a parsed original.
public static partial class MessageReplies
{
    // References grow with every reply; keep the thread's root and the latest ones
    // (RFC 5322 §3.6.4 lets a client trim them).
    private const int MaxReferences = 20;

    public static string ReplySubject(string? subject) => "Re: " + ReplyPrefixes().Replace(subject?.Trim() ?? "", "");

    public static string ForwardSubject(string? subject) => "Fwd: " + ForwardPrefixes().Replace(subject?.Trim() ?? "", "");

    // Reply goes to Reply-To, else From; to the original recipients when the
    // original was the user's own message. Reply all adds the original To and Cc;
    // the user's own address is never among the recipients.
    public static ReplyDraft Reply(MimeMessage original, string ownAddress, bool replyAll)
    {
        ArgumentNullException.ThrowIfNull(original);
        var root = original.Root;
        var own = Normalized(ownAddress);
        var from = Addresses(root, "From");
        var originalTo = Addresses(root, "To");
        var fromSelf = from.Count > 0 && from.All(a => Normalized(a.Address) == own);
        var replyTo = Addresses(root, "Reply-To");
        var to = replyTo.Count > 0 ? replyTo : fromSelf ? originalTo : from;
        var cc = new List<NamedAddress>();
        if (replyAll)
        {
            to = [.. to, .. originalTo];
            cc.AddRange(Addresses(root, "Cc"));
        }

        var seen = new HashSet<string?>(StringComparer.Ordinal) { own };
        var toList = to.Where(a => seen.Add(Normalized(a.Address))).ToList();
        var ccList = cc.Where(a => seen.Add(Normalized(a.Address))).ToList();
        if (toList.Count == 0 && fromSelf)
        {
            // Replying to a note to oneself.
            toList = [.. from.Take(1)];
        }

        var messageId = root.Field("Message-ID")?.Value.Trim();
        var references = (root.Field("References")?.Value ?? root.Field("In-Reply-To")?.Value ?? "")
            .Split([' ', '\t'], StringSplitOptions.RemoveEmptyEntries)
            .Append(messageId ?? "")
            .Where(MessageBuilder.IsMessageId)
            .ToList();
        if (references.Count > MaxReferences)
        {
            references = [references[0], .. references.TakeLast(MaxReferences - 1)];
        }

        var subject = ReplySubject(Decoded(root, "Subject"));
        var date = Decoded(root, "Date");
        var author = Decoded(root, "From");
        var intro = date.Length > 0 ? $"On {date}, {author} wrote:" : $"{author} wrote:";
        return new ReplyDraft(
            toList,
            ccList,
            subject,
            messageId is not null && MessageBuilder.IsMessageId(messageId) ? messageId : null,
            references,
            "\r\n\r\n" + intro + "\r\n" + Quote(BodyText(original)));
    }

    public static ForwardDraft ForwardInline(MimeMessage original)
    {
        ArgumentNullException.ThrowIfNull(original);
        var root = original.Root;
        var block = new StringBuilder("\r\n\r\n---------- Forwarded message ----------\r\n");
        foreach (var name in new[] { "From", "Date", "Subject", "To", "Cc" })
        {
            var value = Decoded(root, name);
            if (value.Length > 0)
            {
                block.Append(name).Append(": ").Append(value).Append("\r\n");
            }
        }

        block.Append("\r\n").Append(BodyText(original));
        var attachments = Leaves(root)
            .Where(IsAttachment)
            .Select(e => new OutgoingAttachment(FileName(e) ?? "attachment", e.DecodeContent(), $"{e.ContentType.MediaType}/{e.ContentType.MediaSubtype}".ToLowerInvariant()))
            .ToList();
        return new ForwardDraft(ForwardSubject(Decoded(root, "Subject")), block.ToString(), attachments);
    }

    // The readable text of a message: its first plain-text part that is not an
    // attachment, else its first HTML part with the markup taken out.
    public static string BodyText(MimeMessage original)
    {
        ArgumentNullException.ThrowIfNull(original);
        var leaves = Leaves(original.Root).Where(e => !IsAttachment(e)).ToList();
        if (leaves.Find(e => e.ContentType.Is("text", "plain")) is { } plain)
        {
            return plain.DecodeText().ReplaceLineEndings("\r\n");
        }

        if (leaves.Find(e => e.ContentType.Is("text", "html")) is { } html)
        {
            var text = Blocks().Replace(html.DecodeText(), "\r\n");
            text = WebUtility.HtmlDecode(Tags().Replace(Hidden().Replace(text, ""), ""));
            return BlankLines().Replace(text.ReplaceLineEndings("\r\n"), "\r\n\r\n").Trim() + "\r\n";
        }

        return "";
    }

    // "> " before every line (">" alone on an empty one, so no line ends in a space).
    public static string Quote(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var lines = text.ReplaceLineEndings("\n").TrimEnd('\n').Split('\n');
        return string.Concat(lines.Select(line => (line.Length == 0 ? ">" : "> " + line) + "\r\n"));
    }

    internal static List<NamedAddress> Addresses(MimeEntity root, string field)
    {
        var list = new List<NamedAddress>();
        foreach (var address in root.Field(field) is { } f ? AddressListParser.Parse(f.Value) : [])
        {
            var mailboxes = address switch
            {
                MailboxAddress m => [m],
                GroupAddress g => g.Members,
                _ => [],
            };
            list.AddRange(mailboxes
                .Where(m => m.Domain.Length > 0)
                .Select(m => new NamedAddress(m.LocalPart + "@" + m.Domain, m.DisplayName is null ? null : EncodedWords.Decode(m.DisplayName))));
        }

        return list;
    }

    private static string? Normalized(string address) => EmailAddress.TryParse(address, out var parsed, out _) ? parsed.Value : address;

    private static string Decoded(MimeEntity root, string field) => EncodedWords.Decode(root.Field(field)?.Value ?? "").Trim();

    // Depth first, not into attached messages (their text is not this message's).
    private static IEnumerable<MimeEntity> Leaves(MimeEntity entity)
    {
        if (entity.Kind == MimeEntityKind.Multipart)
        {
            return entity.Children.SelectMany(Leaves);
        }

        return [entity];
    }

    private static bool IsAttachment(MimeEntity entity) =>
        entity.ContentDisposition?.Disposition.Equals("attachment", StringComparison.OrdinalIgnoreCase) == true
        || entity.Kind == MimeEntityKind.Message
        || (FileName(entity) is not null && !entity.ContentType.IsText);

    private static string? FileName(MimeEntity entity) =>
        (entity.ContentDisposition?.FileName ?? entity.ContentType.Parameter("name")) is { } name ? EncodedWords.Decode(name) : null;

    // Non-backtracking: linear time whatever the (hostile) HTML.

    [GeneratedRegex(@"^((re|aw|sv|antw)(\[\d+\])?\s*:\s*)+", RegexOptions.IgnoreCase | RegexOptions.NonBacktracking)]
    private static partial Regex ReplyPrefixes();

    [GeneratedRegex(@"^((fwd?|wg|tr)\s*:\s*)+", RegexOptions.IgnoreCase | RegexOptions.NonBacktracking)]
    private static partial Regex ForwardPrefixes();

    [GeneratedRegex(@"<(br|/p|/div|/tr|/h[1-6]|/li)\b[^>]*>", RegexOptions.IgnoreCase | RegexOptions.NonBacktracking)]
    private static partial Regex Blocks();

    [GeneratedRegex(@"<script\b.*?</script\s*>|<style\b.*?</style\s*>|<head\b.*?</head\s*>", RegexOptions.IgnoreCase | RegexOptions.Singleline | RegexOptions.NonBacktracking)]
    private static partial Regex Hidden();

    [GeneratedRegex(@"<[^>]*>", RegexOptions.NonBacktracking)]
    private static partial Regex Tags();

    [GeneratedRegex(@"(\r\n[ \t]*){3,}", RegexOptions.NonBacktracking)]
    private static partial Regex BlankLines();
}
