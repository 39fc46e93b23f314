using System.Globalization;

namespace Mailstead.Core.Mime;

/// <summary>
/// One part of a message a reader can open: an attachment, or an inline image an HTML body names by
/// <c>cid:</c> (RFC 2392). <see cref="Path"/> locates it in the MIME tree ("0" the root, "2.1" the first child of
/// the root's second child), so it can be served again from the stored bytes.
/// </summary>
public sealed record MessagePart(string Path, string? FileName, string MediaType, long Size, string? ContentId)
{
    /// <summary>What to call the file: its own name, else one made from the type.</summary>
    public string DisplayName => FileName is { Length: > 0 } name ? name : "part-" + Path + "." + MediaType[(MediaType.IndexOf('/', StringComparison.Ordinal) + 1)..];
}

/// <summary>
/// A message as a mail reader shows it: decoded header fields, the text and HTML bodies chosen from the MIME
/// tree (RFC 2046 §5.1.4 multipart/alternative: the richest part the reader understands; RFC 2387
/// multipart/related: the root part and the resources it names), attachments and inline resources.
/// </summary>
public sealed class ReadableMessage
{
    private readonly List<MessagePart> _attachments = [];
    private readonly Dictionary<string, MessagePart> _inline = new(StringComparer.OrdinalIgnoreCase);

    private ReadableMessage(MimeMessage message)
    {
        Mime = message;
        var root = message.Root;
        Subject = root.Field("Subject") is { } subject ? EncodedWords.Decode(subject.Value) : "";
        From = Addresses(root, "From");
        To = Addresses(root, "To");
        Cc = Addresses(root, "Cc");
        Date = root.Field("Date") is { } date ? MessageDate.Parse(date.Value) : null;
        Visit(root, "0", inAlternative: false);
    }

    public MimeMessage Mime { get; }

    public string Subject { get; }

    public IReadOnlyList<string> From { get; }

    public IReadOnlyList<string> To { get; }

    public IReadOnlyList<string> Cc { get; }

    public DateTimeOffset? Date { get; }

    public string? Text { get; private set; }

    public string? Html { get; private set; }

    public IReadOnlyList<MessagePart> Attachments => _attachments;

    /// <summary>Parts by Content-ID without the angle brackets, for <c>cid:</c> URLs.</summary>
    public IReadOnlyDictionary<string, MessagePart> InlineByContentId => _inline;

    public static ReadableMessage Read(ReadOnlyMemory<byte> raw) => new(MimeMessage.Parse(raw));

    /// <summary>The entity at <paramref name="path"/> (as in <see cref="MessagePart.Path"/>); null when there is none.</summary>
    public MimeEntity? Find(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        var segments = path.Split('.');
        if (segments[0] != "0")
        {
            return null;
        }

        var entity = Mime.Root;
        foreach (var segment in segments.Skip(1))
        {
            var children = entity.Kind == MimeEntityKind.Message ? [entity.Message!] : entity.Children;
            if (!int.TryParse(segment, NumberStyles.None, CultureInfo.InvariantCulture, out var index) || index < 1 || index > children.Count)
            {
                return null;
            }

            entity = children[index - 1];
        }

        return entity;
    }

    private static IReadOnlyList<string> Addresses(MimeEntity root, string field) =>
        root.Field(field) is { } value
            ? [.. AddressListParser.Parse(value.Value).SelectMany(a => a switch
            {
                MailboxAddress m => [m],
                GroupAddress g => g.Members,
                _ => [],
            }).Select(Format)]
            : [];

    private static string Format(MailboxAddress address)
    {
        var email = address.Domain.Length > 0 ? address.LocalPart + "@" + address.Domain : address.LocalPart;
        return address.DisplayName is { Length: > 0 } name ? $"{EncodedWords.Decode(name).Trim()} <{email}>" : email;
    }

    private void Visit(MimeEntity entity, string path, bool inAlternative)
    {
        var type = entity.ContentType;
        switch (entity.Kind)
        {
            case MimeEntityKind.Multipart when type.Is("multipart", "alternative"):
                // Parts in increasing faithfulness (§5.1.4): each kind of body keeps its last occurrence.
                for (var i = 0; i < entity.Children.Count; i++)
                {
                    Visit(entity.Children[i], path + "." + (i + 1).ToString(CultureInfo.InvariantCulture), inAlternative: true);
                }

                return;
            case MimeEntityKind.Multipart when type.Is("multipart", "related"):
                Visit(entity.Children[0], path + ".1", inAlternative);
                for (var i = 1; i < entity.Children.Count; i++)
                {
                    AddResource(entity.Children[i], path + "." + (i + 1).ToString(CultureInfo.InvariantCulture), listed: entity.Children[i].ContentDisposition?.FileName is not null);
                }

                return;
            case MimeEntityKind.Multipart:
                for (var i = 0; i < entity.Children.Count; i++)
                {
                    Visit(entity.Children[i], path + "." + (i + 1).ToString(CultureInfo.InvariantCulture), inAlternative);
                }

                return;
            case MimeEntityKind.Message:
                AddResource(entity, path, listed: true);
                return;
        }

        var attached = entity.ContentDisposition is { } disposition
            && (disposition.Disposition.Equals("attachment", StringComparison.OrdinalIgnoreCase) || disposition.FileName is not null);
        if (!attached && type.Is("text", "html") && (Html is null || inAlternative))
        {
            Html = entity.DecodeText();
        }
        else if (!attached && type.Is("text", "plain") && (Text is null || inAlternative))
        {
            Text = entity.DecodeText();
        }
        else
        {
            AddResource(entity, path, listed: true);
        }
    }

    private void AddResource(MimeEntity entity, string path, bool listed)
    {
        var type = entity.ContentType;
        var name = entity.ContentDisposition?.FileName ?? type.Parameter("name");
        var part = new MessagePart(
            path,
            name is null ? null : EncodedWords.Decode(name),
            entity.Kind == MimeEntityKind.Message ? "message/rfc822" : (type.MediaType + "/" + type.MediaSubtype).ToLowerInvariant(),
            entity.Kind == MimeEntityKind.Leaf ? entity.DecodeContent().LongLength : entity.Body.Length,
            entity.ContentId?.Trim().Trim('<', '>'));
        if (part.ContentId is { Length: > 0 } id)
        {
            _inline.TryAdd(id, part);
        }

        if (listed || part.ContentId is null)
        {
            _attachments.Add(part);
        }
    }
}
