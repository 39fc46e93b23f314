namespace Mailstead.Core.Mime;

// One header field. Range covers the whole field including its folded lines and
// final line break (what HEADER.FIELDS returns); RawValue is everything after the
// colon without that final line break; Value is RawValue unfolded (RFC 5322
// §2.2.3: CR and LF removed), trimmed, and read as UTF-8 or, failing that, as
// windows-1252 so that 8-bit and malformed bytes survive.
public sealed record HeaderField(string Name, ByteRange Range, ReadOnlyMemory<byte> RawValue, string Value)
{
    public bool Is(string name) => Name.Equals(name, StringComparison.OrdinalIgnoreCase);
}
