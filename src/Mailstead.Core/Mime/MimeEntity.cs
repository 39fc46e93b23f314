namespace Mailstead.Core.Mime;

// How an entity was parsed: a Leaf body, a Multipart with at least one part, or
// a Message whose body is one embedded message (message/rfc822). A multipart or
// message/rfc822 beyond the limits, or one that could not be split, is a Leaf.
public enum MimeEntityKind
{
    Leaf,
    Multipart,
    Message,
}

// One node of the MIME tree (RFC 2045 §2.4 "entity"). Header covers the header
// fields and the blank line that ends them (Separator, empty when the header ran
// to the end of its entity); Body covers the rest. For a part of a multipart the
// body ends before the line break that precedes the next boundary (RFC 2046
// §5.1.1: that line break belongs to the boundary).
public sealed class MimeEntity
{
    public required ReadOnlyMemory<byte> Source { get; init; }

    public required ByteRange Header { get; init; }

    public required ByteRange Separator { get; init; }

    public required ByteRange Body { get; init; }

    public required IReadOnlyList<HeaderField> Fields { get; init; }

    public required ContentType ContentType { get; init; }

    // The Content-Transfer-Encoding token as written, or "7bit" (RFC 2045 §6.1).
    public required string TransferEncoding { get; init; }

    public required ContentDisposition? ContentDisposition { get; init; }

    public required string? ContentId { get; init; }

    public required string? ContentDescription { get; init; }

    public required IReadOnlyList<string> ContentLanguage { get; init; }

    public required string? ContentLocation { get; init; }

    public required string? ContentMd5 { get; init; }

    // Lines of the body in its transfer encoding: line breaks, plus one for a last
    // line without one (RFC 3501 body-fld-lines).
    public required int BodyLines { get; init; }

    public required MimeEntityKind Kind { get; init; }

    public required IReadOnlyList<MimeEntity> Children { get; init; }

    public required MimeDefects Defects { get; init; }

    public ReadOnlyMemory<byte> HeaderBytes => Source.Slice(Header.Start, Header.Length);

    public ReadOnlyMemory<byte> BodyBytes => Source.Slice(Body.Start, Body.Length);

    // The embedded message of a message/rfc822 entity.
    public MimeEntity? Message => Kind == MimeEntityKind.Message ? Children[0] : null;

    // The first field of that name (RFC 5322 allows most fields once).
    public HeaderField? Field(string name) => Fields.FirstOrDefault(f => f.Is(name));

    public byte[] DecodeContent() => TransferDecoder.Decode(BodyBytes.Span, TransferEncoding);

    public string DecodeText() => MimeCharsets.Decode(DecodeContent(), ContentType.Charset);
}
