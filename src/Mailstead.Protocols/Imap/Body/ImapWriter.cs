using System.Buffers;
using System.Globalization;
using System.Text;

namespace Mailstead.Protocols.Imap.Body;

// Writes IMAP data items (RFC 3501 §4, grammar in §9) straight into the output
// buffer, so a FETCH response streams without building strings. The choice of
// form is made here and nowhere else:
//   String / NString: quoted when every octet is a 7-bit TEXT-CHAR other than NUL
//   (quoted = DQUOTE *QUOTED-CHAR DQUOTE, with "\" and DQUOTE escaped), otherwise
//   a literal {n}CRLF followed by the octets; NIL for null.
//   AString: an atom when the text is 1*ATOM-CHAR, otherwise as String.
internal sealed class ImapWriter(IBufferWriter<byte> output)
{
    public IBufferWriter<byte> Output { get; } = output;

    public ImapWriter Raw(ReadOnlySpan<byte> bytes)
    {
        Output.Write(bytes);
        return this;
    }

    public ImapWriter Raw(byte b)
    {
        Output.GetSpan(1)[0] = b;
        Output.Advance(1);
        return this;
    }

    public ImapWriter Space() => Raw((byte)' ');

    public ImapWriter Nil() => Raw("NIL"u8);

    public ImapWriter Number(long value)
    {
        var span = Output.GetSpan(20);
        value.TryFormat(span, out var written, default, CultureInfo.InvariantCulture);
        Output.Advance(written);
        return this;
    }

    public ImapWriter NString(string? value) => value is null ? Nil() : String(value);

    public ImapWriter String(string value)
    {
        if (IsQuotable(value))
        {
            var escapes = value.AsSpan().Count('"') + value.AsSpan().Count('\\');
            var span = Output.GetSpan(value.Length + escapes + 2);
            var length = 0;
            span[length++] = (byte)'"';
            foreach (var c in value)
            {
                if (c is '"' or '\\')
                {
                    span[length++] = (byte)'\\';
                }

                span[length++] = (byte)c;
            }

            span[length++] = (byte)'"';
            Output.Advance(length);
            return this;
        }

        LiteralPrefix(Encoding.UTF8.GetByteCount(value));
        Encoding.UTF8.GetBytes(value, Output);
        return this;
    }

    public ImapWriter AString(string value)
    {
        if (value.Length == 0 || value.Any(c => !IsAtomChar(c)))
        {
            return String(value);
        }

        Encoding.ASCII.GetBytes(value, Output);
        return this;
    }

    // Octets that must go as they are (a BODY[section] body): always a literal,
    // because message text may hold CR, LF and 8-bit octets.
    public ImapWriter Literal(ReadOnlySpan<byte> octets)
    {
        LiteralPrefix(octets.Length);
        return Raw(octets);
    }

    // RFC 3516 §4.3: decoded content goes as a literal8 only when it holds NUL, which a literal may not.
    public ImapWriter BinaryLiteral(ReadOnlySpan<byte> octets)
    {
        if (octets.Contains((byte)0))
        {
            Raw((byte)'~');
        }

        return Literal(octets);
    }

    private void LiteralPrefix(int length) => Raw((byte)'{').Number(length).Raw("}\r\n"u8);

    // QUOTED-CHAR = <any TEXT-CHAR except quoted-specials> / "\" quoted-specials,
    // TEXT-CHAR = <any CHAR except CR and LF>, CHAR = %x01-7F.
    private static bool IsQuotable(string value)
    {
        foreach (var c in value)
        {
            if (c is '\0' or '\r' or '\n' or > (char)0x7F)
            {
                return false;
            }
        }

        return true;
    }

    // ATOM-CHAR = <any CHAR except atom-specials>; atom-specials = "(" / ")" /
    // "{" / SP / CTL / "%" / "*" / DQUOTE / "\" / "]".
    private static bool IsAtomChar(char c) => c is > ' ' and < (char)0x7F && !"(){%*\"\\]".Contains(c);
}
