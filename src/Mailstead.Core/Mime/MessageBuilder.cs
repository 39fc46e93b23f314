using System.Security.Cryptography;
using System.Text;
using Mailstead.Core.Accounts;

namespace Mailstead.Core.Mime;

// Writes an OutgoingMessage as RFC 5322 bytes with MIME (RFC 2045-2049):
//
//   text/plain                               text only
//   multipart/alternative(text, html)        with an HTML alternative
//   multipart/mixed(body, attachment...)     with attachments
//
// Every line ends in CRLF and stays within 998 octets (RFC 5322 §2.1.1): text
// goes 7bit when it is short-lined ASCII, else quoted-printable, or base64 when
// most of it is not ASCII; attachments are base64; an attached message is
// embedded as message/rfc822 (RFC 2046 §5.2.1 allows no encoding there).
// Input with CR or LF in a header value is refused, never passed on: header
// injection cannot happen.
public static class MessageBuilder
{
    public static Outcome<BuiltMessage> Build(OutgoingMessage message, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(message);
        ArgumentNullException.ThrowIfNull(time);
        var problems = new Dictionary<string, string>();
        var from = Mailbox(message.From, "From", problems);
        var to = message.To.Select(a => Mailbox(a, "To", problems)).ToList();
        var cc = message.Cc.Select(a => Mailbox(a, "Cc", problems)).ToList();
        var bcc = message.Bcc.Select(a => Mailbox(a, "Bcc", problems)).ToList();
        if (to.Count + cc.Count + bcc.Count == 0 && !message.IsDraft)
        {
            problems.TryAdd("To", "Add at least one recipient.");
        }

        var subject = SingleLine(message.Subject, "Subject", problems);
        var ids = (message.InReplyTo is null ? Array.Empty<string>() : [message.InReplyTo]).Concat(message.References).ToList();
        if (ids.Find(id => !IsMessageId(id)) is { } bad)
        {
            problems.TryAdd("References", $"'{Printable(bad)}' is not a message id (<left@right>).");
        }

        foreach (var attachment in message.Attachments)
        {
            SingleLine(attachment.FileName, "Attachments", problems);
            if (attachment.ContentType is { } type && !IsMediaType(type))
            {
                problems.TryAdd("Attachments", $"'{Printable(type)}' is not a media type (type/subtype).");
            }
        }

        if (problems.Count > 0)
        {
            return new Problem(ProblemKind.Invalid, problems.Values.First()) { Fields = problems };
        }

        var domain = from!.Value.Address[(from.Value.Address.LastIndexOf('@') + 1)..];
        var messageId = $"<{Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16))}@{domain}>";
        var head = new HeaderWriter();
        head.Field("Date", MessageDate.Format(time.GetUtcNow()));
        head.Field("From", AddressList([from.Value]));
        AddressField(head, "To", to!);
        AddressField(head, "Cc", cc!);
        var bccField = new HeaderWriter();
        AddressField(bccField, "Bcc", bcc!);

        var rest = new HeaderWriter();
        rest.Field("Subject", HeaderWriter.Text(subject));
        rest.Field("Message-ID", messageId);
        if (message.InReplyTo is not null)
        {
            rest.Field("In-Reply-To", message.InReplyTo);
        }

        if (message.References.Count > 0)
        {
            rest.Field("References", message.References);
        }

        rest.Field("MIME-Version", "1.0");
        var body = new MemoryStream();
        var root = message.Html is null ? TextPart(message.Text, "plain") : Alternative(message.Text, message.Html);
        if (message.Attachments.Count > 0)
        {
            root = Multipart("mixed", [root, .. message.Attachments.Select(AttachmentPart)]);
        }

        root.WriteTo(rest, body);
        var recipients = to.Concat(cc).Concat(bcc).Select(a => a!.Value.Address).Distinct(StringComparer.OrdinalIgnoreCase).ToList();
        return new BuiltMessage(
            messageId,
            recipients,
            Encoding.UTF8.GetBytes(head.ToString()),
            bcc.Count > 0 ? Encoding.UTF8.GetBytes(bccField.ToString()) : null,
            [.. Encoding.UTF8.GetBytes(rest.ToString()), .. body.ToArray()]);
    }

    private static (string Address, string? Name)? Mailbox(NamedAddress address, string field, Dictionary<string, string> problems)
    {
        var name = SingleLine(address.DisplayName ?? "", field, problems).Trim();
        var text = SingleLine(address.Address, field, problems).Trim();
        if (!EmailAddress.TryParse(text, out var parsed, out var error))
        {
            problems.TryAdd(field, error);
            return null;
        }

        // The local part as the person typed it (another server may tell case apart); the domain as an A-label.
        return (text[..text.LastIndexOf('@')] + "@" + parsed.Domain, name.Length == 0 ? null : name);
    }

    // Header values are one line: CR and LF are refused (header injection), other controls too; a tab is a space.
    private static string SingleLine(string value, string field, Dictionary<string, string> problems)
    {
        if (value.Any(c => char.IsControl(c) && c != '\t'))
        {
            problems.TryAdd(field, $"{field} may not contain line breaks or control characters.");
            return "";
        }

        return value.Replace('\t', ' ');
    }

    private static string Printable(string value) => string.Concat(value.Take(80).Select(c => char.IsControl(c) ? '?' : c));

    // RFC 5322 §3.6.4 msg-id, without CFWS: "<" id-left "@" id-right ">" of visible ASCII.
    internal static bool IsMessageId(string id) =>
        id.Length is > 4 and <= 250 && id[0] == '<' && id[^1] == '>' && id.IndexOf('@', StringComparison.Ordinal) > 1
        && id[1..^1].All(c => c is > ' ' and < '\x7f' and not '<' and not '>');

    private static bool IsMediaType(string type)
    {
        var slash = type.IndexOf('/', StringComparison.Ordinal);
        return slash > 0 && slash < type.Length - 1 && type.Remove(slash, 1).All(HeaderTokenizer.IsTokenChar);
    }

    private static void AddressField(HeaderWriter header, string name, List<(string Address, string? Name)?> addresses)
    {
        if (addresses.Count > 0)
        {
            header.Field(name, AddressList(addresses.Select(a => a!.Value)));
        }
    }

    // RFC 5322 §3.4: name-addr, or a bare addr-spec when there is no name; comma separated; an address is never broken.
    private static List<string> AddressList(IEnumerable<(string Address, string? Name)> addresses)
    {
        var tokens = new List<string>();
        foreach (var (address, name) in addresses)
        {
            if (tokens.Count > 0)
            {
                tokens[^1] += ",";
            }

            if (name is not null)
            {
                tokens.AddRange(HeaderWriter.Phrase(name));
            }

            tokens.Add(name is null ? address : $"<{address}>");
        }

        return tokens;
    }

    private static readonly System.Buffers.SearchValues<string> TrailingSpace = System.Buffers.SearchValues.Create([" \r\n", "\t\r\n"], StringComparison.Ordinal);

    private static Part TextPart(string text, string subtype)
    {
        // Text ends with a line break, so the message (or the delimiter after the part) starts a line of its own.
        var normalized = TransferEncoder.NormalizeLineBreaks(text);
        var lines = normalized.Length == 0 || normalized.EndsWith("\r\n", StringComparison.Ordinal) ? normalized : normalized + "\r\n";
        var bytes = Encoding.UTF8.GetBytes(lines);
        var nonAscii = bytes.Count(b => b >= 0x80);
        // White space at a line end is what gateways strip (RFC 2045 §6.7 rule 3): quoted-printable keeps it.
        var plain = nonAscii == 0 && !bytes.Contains((byte)0) && LongestLine(bytes) <= 998
            && !lines.AsSpan().ContainsAny(TrailingSpace);
        var encoding = plain ? "7bit"
            : nonAscii * 3 > bytes.Length ? "base64"
            : "quoted-printable";
        return new Part([("Content-Type", [$"text/{subtype};", "charset=utf-8"]), ("Content-Transfer-Encoding", [encoding])], bytes, encoding);
    }

    private static Part Alternative(string text, string html) =>
        Multipart("alternative", [TextPart(text, "plain"), TextPart(html, "html")]);

    private static Part Multipart(string subtype, IReadOnlyList<Part> parts)
    {
        // "=_" cannot occur in base64 or quoted-printable output, and 128 random bits not in an attached message.
        var boundary = "=_" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));
        return new Part([("Content-Type", [$"multipart/{subtype};", $"boundary=\"{boundary}\""])], default, null) { Boundary = boundary, Children = parts };
    }

    private static Part AttachmentPart(OutgoingAttachment attachment)
    {
        var type = (attachment.ContentType ?? MediaTypes.FromFileName(attachment.FileName)).ToLowerInvariant();
        var content = attachment.Content;
        // RFC 2046 §5.2.1: message/rfc822 only as 7bit or 8bit, so only a message whose lines a transport
        // can carry as they are (CRLF, at most 998 octets) is embedded; anything else goes as a file.
        var embedded = type == "message/rfc822" && IsTransportable(content.Span);
        if (type == "message/rfc822" && !embedded)
        {
            type = MediaTypes.OctetStream;
        }

        var encoding = !embedded ? "base64" : content.Span.ContainsAnyExceptInRange((byte)0, (byte)0x7F) ? "8bit" : "7bit";
        var name = HeaderWriter.Parameter("name", attachment.FileName, last: true);
        var filename = HeaderWriter.Parameter("filename", attachment.FileName, last: true);
        return new Part(
            [
                ("Content-Type", [type + ";", .. name]),
                ("Content-Disposition", ["attachment;", .. filename]),
                ("Content-Transfer-Encoding", [encoding]),
            ],
            content,
            encoding);
    }

    private static bool IsTransportable(ReadOnlySpan<byte> message)
    {
        var lineStart = 0;
        for (var i = 0; i < message.Length; i++)
        {
            if (message[i] is (byte)'\r' or (byte)'\n' or 0)
            {
                if (message[i] != '\r' || i + 1 >= message.Length || message[i + 1] != '\n' || i - lineStart > 998)
                {
                    return false;
                }

                lineStart = ++i + 1;
            }
        }

        return message.Length - lineStart <= 998;
    }

    private static int LongestLine(byte[] bytes)
    {
        var longest = 0;
        var start = 0;
        for (var i = 0; i <= bytes.Length; i++)
        {
            if (i == bytes.Length || bytes[i] == '\n')
            {
                longest = Math.Max(longest, i - start);
                start = i + 1;
            }
        }

        return longest;
    }

    // One entity: its content fields, and its content (a leaf) or its parts (a multipart).
    private sealed record Part(IReadOnlyList<(string Name, IReadOnlyList<string> Tokens)> Fields, ReadOnlyMemory<byte> Content, string? Encoding)
    {
        public string? Boundary { get; init; }

        public IReadOnlyList<Part> Children { get; init; } = [];

        // The fields go to the header being written (the message's own, for the root); the body to body.
        public void WriteTo(HeaderWriter header, MemoryStream body)
        {
            foreach (var (name, tokens) in Fields)
            {
                header.Field(name, tokens);
            }

            Write(body, "\r\n");
            if (Boundary is not null)
            {
                foreach (var child in Children)
                {
                    // RFC 2046 §5.1.1: the CRLF before a delimiter belongs to the delimiter.
                    Write(body, $"--{Boundary}\r\n");
                    var childHeader = new HeaderWriter();
                    var childBody = new MemoryStream();
                    child.WriteTo(childHeader, childBody);
                    Write(body, childHeader.ToString());
                    childBody.WriteTo(body);
                    Write(body, "\r\n");
                }

                Write(body, $"--{Boundary}--\r\n");
                return;
            }

            var span = Content.Span;
            switch (Encoding)
            {
                case "base64":
                    Write(body, Encoded(span, TransferEncoder.Base64));
                    break;
                case "quoted-printable":
                    Write(body, Encoded(span, TransferEncoder.QuotedPrintable));
                    break;
                default:
                    body.Write(span);
                    break;
            }
        }

        private static string Encoded(ReadOnlySpan<byte> content, EncodeAction encode)
        {
            var output = new StringBuilder();
            encode(content, output);
            return output.ToString();
        }

        private static void Write(MemoryStream stream, string text) => stream.Write(System.Text.Encoding.UTF8.GetBytes(text));
    }

    private delegate void EncodeAction(ReadOnlySpan<byte> content, StringBuilder output);
}
