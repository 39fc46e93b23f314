namespace Mailstead.Core.Mime;

// Builds the MimeEntity tree over the message bytes (RFC 5322 §2.1 header and
// body; RFC 2045 §5-6 content fields; RFC 2046 §5 composite types).
//
// Top-down: an entity's extent is known before it is parsed, so the boundary of
// an enclosing multipart always wins over anything inside it (RFC 2046 §5.1.2),
// and each nesting level scans its own bytes once. With MimeLimits.MaxDepth
// levels that is linear time; no input makes it loop or throw.
internal sealed class MimeParser
{
    private readonly ReadOnlyMemory<byte> _source;
    private readonly MimeParseMode _mode;
    private readonly MimeLimits _limits;
    private int _entityCount;

    private MimeParser(ReadOnlyMemory<byte> source, MimeParseMode mode, MimeLimits limits)
    {
        _source = source;
        _mode = mode;
        _limits = limits;
    }

    private enum LineKind
    {
        Blank,
        FieldStart,
        Continuation,
        Malformed,
    }

    private enum MultipartState
    {
        Preamble,
        Part,
        Epilogue,
    }

    private enum Delimiter
    {
        None,
        Open,
        Close,
    }

    public static MimeEntity Parse(ReadOnlyMemory<byte> source, MimeParseMode mode, MimeLimits limits) =>
        new MimeParser(source, mode, limits).ParseEntity(new ByteRange(0, source.Length), 0, ContentType.Default);

    private MimeEntity ParseEntity(ByteRange extent, int depth, ContentType defaultType)
    {
        _entityCount++;
        var defects = MimeDefects.None;
        var fields = ReadHeader(extent, out var separator, ref defects);
        var header = new ByteRange(extent.Start, separator.End - extent.Start);
        var body = new ByteRange(separator.End, extent.End - separator.End);

        var contentTypeField = FirstField(fields, "Content-Type");
        var contentType = contentTypeField is null ? null : ContentType.Parse(contentTypeField.Value, _mode);
        if (contentTypeField is not null && contentType is null)
        {
            // RFC 2045 §5.2: an invalid Content-Type means the default.
            defects |= MimeDefects.InvalidContentType;
        }

        contentType ??= defaultType;
        var transferEncoding = Token(FirstField(fields, "Content-Transfer-Encoding")) ?? "7bit";

        var children = new List<MimeEntity>();
        var kind = MimeEntityKind.Leaf;
        var mayDescend = depth < _limits.MaxDepth && _entityCount < _limits.MaxEntities;
        if ((contentType.IsMultipart || contentType.IsMessageRfc822) && !mayDescend)
        {
            defects |= depth < _limits.MaxDepth ? MimeDefects.EntityLimitReached : MimeDefects.DepthLimitReached;
        }
        else if (contentType.IsMultipart)
        {
            if (string.IsNullOrEmpty(contentType.Boundary))
            {
                defects |= MimeDefects.MissingBoundaryParameter;
            }
            else
            {
                var childDefault = contentType.Is("multipart", "digest") ? ContentType.DigestDefault : ContentType.Default;
                defects |= ReadParts(body, contentType.Boundary, depth + 1, childDefault, children);
                kind = children.Count > 0 ? MimeEntityKind.Multipart : MimeEntityKind.Leaf;
            }
        }
        else if (contentType.IsMessageRfc822)
        {
            // RFC 2046 §5.2.1: only 7bit, 8bit or binary; an encoded one is opaque.
            if (transferEncoding.ToUpperInvariant() is "7BIT" or "8BIT" or "BINARY")
            {
                children.Add(ParseEntity(body, depth + 1, ContentType.Default));
                kind = MimeEntityKind.Message;
            }
            else
            {
                defects |= MimeDefects.EncodedMessage;
            }
        }

        return new MimeEntity
        {
            Source = _source,
            Header = header,
            Separator = separator,
            Body = body,
            Fields = fields,
            ContentType = contentType,
            TransferEncoding = transferEncoding,
            ContentDisposition = FirstField(fields, "Content-Disposition") is { } disposition
                ? ContentDisposition.Parse(disposition.Value, _mode)
                : null,
            ContentId = FirstField(fields, "Content-ID")?.Value,
            ContentDescription = FirstField(fields, "Content-Description")?.Value,
            ContentLanguage = LanguageTags(FirstField(fields, "Content-Language")),
            ContentLocation = FirstField(fields, "Content-Location")?.Value,
            ContentMd5 = FirstField(fields, "Content-MD5")?.Value,
            BodyLines = CountLines(body),
            Kind = kind,
            Children = children,
            Defects = defects,
        };
    }

    // RFC 5322 §2.2: fields up to the first empty line; a line starting with WSP
    // continues the field before it (§2.2.3 folding).
    private List<HeaderField> ReadHeader(ByteRange extent, out ByteRange separator, ref MimeDefects defects)
    {
        var span = _source.Span;
        var fields = new List<HeaderField>(16);
        int fieldStart = -1, valueStart = 0, valueEnd = 0, fieldEnd = 0;
        var position = extent.Start;
        separator = new ByteRange(extent.End, 0);
        while (position < extent.End)
        {
            var (contentEnd, next) = NextLine(span, position, extent.End);
            var line = span[position..contentEnd];
            var kind = Classify(line, fieldStart >= 0, out var colon);
            if (kind is not LineKind.Continuation)
            {
                AddField();
            }

            if (kind == LineKind.Blank)
            {
                separator = new ByteRange(position, next - position);
                break;
            }

            if (kind == LineKind.Malformed)
            {
                defects |= MimeDefects.MalformedHeaderLine;
                if (_mode == MimeParseMode.Strict)
                {
                    // Strict: the header ends where the grammar does; the body starts here.
                    separator = new ByteRange(position, 0);
                    break;
                }
            }
            else if (kind == LineKind.FieldStart)
            {
                fieldStart = position;
                valueStart = position + colon + 1;
            }

            if (kind != LineKind.Malformed)
            {
                valueEnd = contentEnd;
                fieldEnd = next;
            }

            position = next;
        }

        AddField();
        return fields;

        void AddField()
        {
            if (fieldStart < 0)
            {
                return;
            }

            var nameSpan = _source.Span[fieldStart..(valueStart - 1)].TrimEnd(" \t"u8);
            var raw = _source[valueStart..valueEnd];
            fields.Add(new HeaderField(MimeCharsets.DecodeUnlabelled(nameSpan), new ByteRange(fieldStart, fieldEnd - fieldStart), raw));
            fieldStart = -1;
        }
    }

    // field-name = 1*ftext (printable US-ASCII except ':'), then optional WSP
    // before the colon (RFC 5322 §4.5.3 obs-optional).
    private static LineKind Classify(ReadOnlySpan<byte> line, bool inField, out int colon)
    {
        colon = -1;
        if (line.IsEmpty)
        {
            return LineKind.Blank;
        }

        if (line[0] is (byte)' ' or (byte)'\t')
        {
            return inField ? LineKind.Continuation : LineKind.Malformed;
        }

        colon = line.IndexOf((byte)':');
        if (colon <= 0)
        {
            return LineKind.Malformed;
        }

        var name = line[..colon].TrimEnd(" \t"u8);
        return !name.IsEmpty && !name.ContainsAnyExceptInRange((byte)33, (byte)126)
            ? LineKind.FieldStart
            : LineKind.Malformed;
    }

    // RFC 2046 §5.1.1: parts are separated by "--" boundary lines (with optional
    // trailing whitespace) and end at "--" boundary "--"; the line break before a
    // delimiter belongs to it; text before the first delimiter is the preamble and
    // after the last the epilogue, both ignored.
    private MimeDefects ReadParts(ByteRange body, string boundary, int depth, ContentType childDefault, List<MimeEntity> parts)
    {
        var span = _source.Span;
        var state = MultipartState.Preamble;
        var partStart = 0;
        var position = body.Start;
        while (position < body.End && state != MultipartState.Epilogue)
        {
            var (contentEnd, next) = NextLine(span, position, body.End);
            var delimiter = MatchDelimiter(span[position..contentEnd], boundary);
            if (delimiter != Delimiter.None)
            {
                if (state == MultipartState.Part)
                {
                    var partEnd = Math.Max(partStart, EndBeforeLineBreak(span, position));
                    parts.Add(ParseEntity(new ByteRange(partStart, partEnd - partStart), depth, childDefault));
                }

                state = delimiter == Delimiter.Close ? MultipartState.Epilogue : MultipartState.Part;
                partStart = next;
                if (state == MultipartState.Part && _entityCount + 1 >= _limits.MaxEntities)
                {
                    // The entity allowance is spent: the rest of the body becomes one
                    // last, opaque part.
                    parts.Add(ParseEntity(new ByteRange(partStart, body.End - partStart), depth, childDefault));
                    return MimeDefects.EntityLimitReached;
                }
            }

            position = next;
        }

        switch (state)
        {
            case MultipartState.Preamble:
                return MimeDefects.NoBoundaryFound;
            case MultipartState.Part:
                // No close delimiter: the last part runs to the end.
                parts.Add(ParseEntity(new ByteRange(partStart, body.End - partStart), depth, childDefault));
                return MimeDefects.MissingCloseDelimiter;
            default:
                return MimeDefects.None;
        }
    }

    private static Delimiter MatchDelimiter(ReadOnlySpan<byte> line, string boundary)
    {
        if (line.Length < boundary.Length + 2 || line[0] != '-' || line[1] != '-')
        {
            return Delimiter.None;
        }

        var rest = line[2..];
        for (var i = 0; i < boundary.Length; i++)
        {
            if (rest[i] != boundary[i])
            {
                return Delimiter.None;
            }
        }

        rest = rest[boundary.Length..];
        var close = rest.StartsWith("--"u8);
        if (close)
        {
            rest = rest[2..];
        }

        // Transport padding (RFC 2046 §5.1.1) is the only thing allowed after it.
        return rest.TrimEnd(" \t"u8).IsEmpty ? (close ? Delimiter.Close : Delimiter.Open) : Delimiter.None;
    }

    // The end of a line's content and the start of the next line. Strict: only
    // CRLF ends a line (RFC 5322 §2.1). Loose: LF does, with an optional CR.
    private (int ContentEnd, int Next) NextLine(ReadOnlySpan<byte> span, int start, int end)
    {
        var rest = span[start..end];
        if (_mode == MimeParseMode.Strict)
        {
            var crlf = rest.IndexOf("\r\n"u8);
            return crlf < 0 ? (end, end) : (start + crlf, start + crlf + 2);
        }

        var lf = rest.IndexOf((byte)'\n');
        if (lf < 0)
        {
            return (end, end);
        }

        var contentEnd = lf > 0 && rest[lf - 1] == '\r' ? lf - 1 : lf;
        return (start + contentEnd, start + lf + 1);
    }

    // Where the line before position ends, before its line break.
    private static int EndBeforeLineBreak(ReadOnlySpan<byte> span, int position)
    {
        if (position > 0 && span[position - 1] == '\n')
        {
            position--;
            if (position > 0 && span[position - 1] == '\r')
            {
                position--;
            }
        }

        return position;
    }

    private int CountLines(ByteRange body)
    {
        var span = _source.Span.Slice(body.Start, body.Length);
        if (span.IsEmpty)
        {
            return 0;
        }

        var lineBreak = _mode == MimeParseMode.Strict ? "\r\n"u8 : "\n"u8;
        return span.Count(lineBreak) + (span.EndsWith(lineBreak) ? 0 : 1);
    }

    private static HeaderField? FirstField(List<HeaderField> fields, string name) => fields.Find(f => f.Is(name));

    private static string? Token(HeaderField? field)
    {
        if (field is null)
        {
            return null;
        }

        var tokens = new HeaderTokenizer(field.Value);
        tokens.SkipCfws();
        return tokens.ReadToken();
    }

    // Content-Language = 1#Language-tag (RFC 3282 §2), comments allowed.
    private static List<string> LanguageTags(HeaderField? field)
    {
        var tags = new List<string>();
        if (field is null)
        {
            return tags;
        }

        var tokens = new HeaderTokenizer(field.Value);
        while (true)
        {
            tokens.SkipCfws();
            if (tokens.AtEnd)
            {
                return tags;
            }

            if (tokens.ReadToken() is { } tag)
            {
                tags.Add(tag);
            }
            else
            {
                tokens.Position++;
            }
        }
    }
}
