namespace Mailstead.Core.Mime;

// One header field. Range covers the whole field including its folded lines and
// final line break (what HEADER.FIELDS returns); RawValue is everything after the
// colon without that final line break; Value is RawValue unfolded (RFC 5322
// §2.2.3: CR and LF removed), trimmed, and read as UTF-8 or, failing that, as
// windows-1252 so that 8-bit and malformed bytes survive.
public sealed class HeaderField(string name, ByteRange range, ReadOnlyMemory<byte> rawValue)
{
    private string? _value;

    public string Name { get; } = name;

    public ByteRange Range { get; } = range;

    public ReadOnlyMemory<byte> RawValue { get; } = rawValue;

    // Worked out on first use: most fields of a header (the Received chain, DKIM signatures) are never read.
    public string Value => _value ??= Unfold(RawValue.Span);

    public bool Is(string name) => Name.Equals(name, StringComparison.OrdinalIgnoreCase);

    // RFC 5322 §2.2.3: unfolding removes the line breaks; the field body is then trimmed of the whitespace around it.
    private static string Unfold(ReadOnlySpan<byte> raw)
    {
        var text = MimeCharsets.DecodeUnlabelled(raw);
        if (text.AsSpan().IndexOfAny('\r', '\n') >= 0)
        {
            text = text.Replace("\r", "", StringComparison.Ordinal).Replace("\n", "", StringComparison.Ordinal);
        }

        return text.Trim(' ', '\t');
    }
}
