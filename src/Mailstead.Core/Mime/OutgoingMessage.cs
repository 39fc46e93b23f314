using System.Text;

namespace Mailstead.Core.Mime;

// An address as a person writes it into a form: the address, and the name to
// show beside it (any Unicode; the builder encodes it).
public sealed record NamedAddress(string Address, string? DisplayName = null)
{
    private static readonly System.Buffers.SearchValues<char> Specials = System.Buffers.SearchValues.Create("()<>[]:;@\\,.\"");

    // As a person would type it back into an address list: a name with a list
    // separator or other special in it is quoted (RFC 5322 §3.2.4), so it stays one address.
    public override string ToString() => string.IsNullOrEmpty(DisplayName) ? Address
        : DisplayName.AsSpan().IndexOfAny(Specials) < 0 ? $"{DisplayName} <{Address}>"
        : $"\"{DisplayName.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal)}\" <{Address}>";
}

// A file to attach. ContentType null means: from the file name's extension.
// message/rfc822 attaches a whole message (forward as attachment, RFC 2046
// §5.2.1); see OutgoingAttachment.Message.
public sealed record OutgoingAttachment(string FileName, ReadOnlyMemory<byte> Content, string? ContentType = null)
{
    // A stored message attached as message/rfc822, named after its subject.
    public static OutgoingAttachment Message(MimeMessage original)
    {
        ArgumentNullException.ThrowIfNull(original);
        var subject = EncodedWords.Decode(original.Root.Field("Subject")?.Value ?? "").Trim();
        var name = new StringBuilder();
        foreach (var c in subject.Length == 0 ? "message" : subject)
        {
            // Characters that file systems refuse become '_'.
            name.Append(char.IsControl(c) || "/\\:*?\"<>|".Contains(c, StringComparison.Ordinal) ? '_' : c);
        }

        return new OutgoingAttachment((name.Length > 100 ? name.ToString(0, 100) : name.ToString()) + ".eml", original.Raw, "message/rfc822");
    }
}

// What the compose form holds. Bcc recipients are in the envelope
// (BuiltMessage.Recipients) but not in the header that is sent.
public sealed record OutgoingMessage
{
    public required NamedAddress From { get; init; }

    public IReadOnlyList<NamedAddress> To { get; init; } = [];

    public IReadOnlyList<NamedAddress> Cc { get; init; } = [];

    public IReadOnlyList<NamedAddress> Bcc { get; init; } = [];

    public string Subject { get; init; } = "";

    // The parent's Message-ID, with its angle brackets (RFC 5322 §3.6.4).
    public string? InReplyTo { get; init; }

    public IReadOnlyList<string> References { get; init; } = [];

    public string Text { get; init; } = "";

    // An HTML alternative to Text (multipart/alternative, RFC 2046 §5.1.4).
    public string? Html { get; init; }

    public IReadOnlyList<OutgoingAttachment> Attachments { get; init; } = [];

    // A draft (RFC 3501 \Draft) may have no recipient yet.
    public bool IsDraft { get; init; }
}

// The message as bytes. Bytes is what is sent (no Bcc field); WithBcc is the
// same message with the Bcc field, for the sender's Sent and Drafts copies
// (RFC 5322 §3.6.3 allows both). Recipients is the envelope: To, Cc and Bcc.
public sealed class BuiltMessage
{
    private readonly byte[] _header;
    private readonly byte[]? _bccField;
    private readonly byte[] _rest;

    internal BuiltMessage(string messageId, IReadOnlyList<string> recipients, byte[] header, byte[]? bccField, byte[] rest)
    {
        MessageId = messageId;
        Recipients = recipients;
        _header = header;
        _bccField = bccField;
        _rest = rest;
    }

    // With its angle brackets.
    public string MessageId { get; }

    public IReadOnlyList<string> Recipients { get; }

    public byte[] Bytes => [.. _header, .. _rest];

    public byte[] WithBcc => _bccField is null ? Bytes : [.. _header, .. _bccField, .. _rest];
}
