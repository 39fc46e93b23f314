namespace Mailstead.Core.Mime;

// Content-Transfer-Encoding decoding (RFC 2045 §6), forgiving the breakage real
// mail has: stray characters and missing or early padding in base64, bad escapes
// and trailing spaces in quoted-printable. Unknown encodings pass through as-is,
// as RFC 2045 §6.4 asks of an agent that cannot decode them.
public static class TransferDecoder
{
    public static byte[] Decode(ReadOnlySpan<byte> content, string transferEncoding) =>
        transferEncoding.ToUpperInvariant() switch
        {
            "BASE64" => DecodeBase64(content),
            "QUOTED-PRINTABLE" => DecodeQuotedPrintable(content),
            _ => content.ToArray(),
        };

    // RFC 2045 §6.8. Characters outside the alphabet are ignored (§6.8 says so for
    // line breaks and asks for it in general); '=' ends a quantum early, and a
    // trailing incomplete quantum is decoded as far as its bits go, because
    // concatenated or truncated base64 is common.
    public static byte[] DecodeBase64(ReadOnlySpan<byte> content)
    {
        var output = new byte[(content.Length * 3 / 4) + 3];
        var length = 0;
        var accumulator = 0;
        var count = 0;
        foreach (var b in content)
        {
            var value = Base64Value(b);
            if (value < 0)
            {
                if (b == '=')
                {
                    FlushPartial();
                }

                continue;
            }

            accumulator = (accumulator << 6) | value;
            if (++count == 4)
            {
                output[length++] = (byte)(accumulator >> 16);
                output[length++] = (byte)(accumulator >> 8);
                output[length++] = (byte)accumulator;
                accumulator = 0;
                count = 0;
            }
        }

        FlushPartial();
        return output[..length];

        void FlushPartial()
        {
            if (count == 2)
            {
                output[length++] = (byte)(accumulator >> 4);
            }
            else if (count == 3)
            {
                output[length++] = (byte)(accumulator >> 10);
                output[length++] = (byte)(accumulator >> 2);
            }

            accumulator = 0;
            count = 0;
        }
    }

    // RFC 2045 §6.7: "=XX" is an octet, "=" before a line break is a soft break,
    // and whitespace at the end of a line is transport padding to delete (rule 3).
    // An '=' followed by anything else is kept literally (the note after rule 5).
    public static byte[] DecodeQuotedPrintable(ReadOnlySpan<byte> content)
    {
        var output = new byte[content.Length];
        var length = 0;
        var i = 0;
        while (i < content.Length)
        {
            var b = content[i];
            if (b == '=')
            {
                if (i + 2 < content.Length && HexValue(content[i + 1]) is var high and >= 0
                    && HexValue(content[i + 2]) is var low and >= 0)
                {
                    output[length++] = (byte)((high << 4) | low);
                    i += 3;
                    continue;
                }

                var afterPadding = SkipBlanks(content, i + 1);
                var lineBreak = LineBreakLength(content, afterPadding);
                if (lineBreak > 0 || afterPadding == content.Length)
                {
                    i = afterPadding + lineBreak;
                    continue;
                }

                output[length++] = b;
                i++;
            }
            else if (b is (byte)' ' or (byte)'\t')
            {
                var end = SkipBlanks(content, i);
                if (end < content.Length && LineBreakLength(content, end) == 0)
                {
                    content[i..end].CopyTo(output.AsSpan(length));
                    length += end - i;
                }

                i = end;
            }
            else
            {
                output[length++] = b;
                i++;
            }
        }

        return output[..length];
    }

    // RFC 2047 §4.2: the Q encoding is quoted-printable with "_" for space and no
    // soft line breaks.
    public static byte[] DecodeQ(ReadOnlySpan<char> text)
    {
        var output = new byte[text.Length];
        var length = 0;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (c == '_')
            {
                output[length++] = (byte)' ';
            }
            else if (c == '=' && i + 2 < text.Length && HexValue(text[i + 1]) is var high and >= 0
                && HexValue(text[i + 2]) is var low and >= 0)
            {
                output[length++] = (byte)((high << 4) | low);
                i += 2;
            }
            else
            {
                output[length++] = (byte)c;
            }
        }

        return output[..length];
    }

    public static int HexValue(int c) => c switch
    {
        >= '0' and <= '9' => c - '0',
        >= 'A' and <= 'F' => c - 'A' + 10,
        >= 'a' and <= 'f' => c - 'a' + 10,
        _ => -1,
    };

    private static int Base64Value(byte b) => b switch
    {
        >= (byte)'A' and <= (byte)'Z' => b - 'A',
        >= (byte)'a' and <= (byte)'z' => b - 'a' + 26,
        >= (byte)'0' and <= (byte)'9' => b - '0' + 52,
        (byte)'+' => 62,
        (byte)'/' => 63,
        _ => -1,
    };

    private static int SkipBlanks(ReadOnlySpan<byte> content, int i)
    {
        while (i < content.Length && content[i] is (byte)' ' or (byte)'\t')
        {
            i++;
        }

        return i;
    }

    // CRLF, or a bare LF (loose input), or a bare CR; 0 when no line break is here.
    private static int LineBreakLength(ReadOnlySpan<byte> content, int i)
    {
        if (i >= content.Length)
        {
            return 0;
        }

        if (content[i] == '\r')
        {
            return i + 1 < content.Length && content[i + 1] == '\n' ? 2 : 1;
        }

        return content[i] == '\n' ? 1 : 0;
    }
}
