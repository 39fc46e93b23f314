using System.Text;

namespace Mailstead.Core.Mime;

// Content-Transfer-Encoding for the builder (RFC 2045 §6), the inverse of
// TransferDecoder. Output lines end in CRLF and stay within 76 characters.
internal static class TransferEncoder
{
    private const int LineLength = 76;

    // RFC 2045 §6.8: base64 in lines of 76 characters.
    public static void Base64(ReadOnlySpan<byte> content, StringBuilder output)
    {
        // 57 bytes are exactly 76 base64 characters.
        for (var i = 0; i < content.Length; i += 57)
        {
            output.Append(Convert.ToBase64String(content.Slice(i, Math.Min(57, content.Length - i)))).Append("\r\n");
        }
    }

    // RFC 2045 §6.7 over text whose line breaks are CRLF already: a line break is
    // written as such (rule 4); '=' and octets outside 33..126 as =XX (rules 1-2);
    // space or tab before a line break encoded (rule 3); soft breaks keep lines
    // within 76 characters (rule 5) without splitting an =XX.
    public static void QuotedPrintable(ReadOnlySpan<byte> content, StringBuilder output)
    {
        var lineLength = 0;
        for (var i = 0; i < content.Length; i++)
        {
            var b = content[i];
            if (b == '\r' && i + 1 < content.Length && content[i + 1] == '\n')
            {
                output.Append("\r\n");
                lineLength = 0;
                i++;
                continue;
            }

            var atLineEnd = i + 1 == content.Length || (content[i + 1] == '\r' && i + 2 < content.Length && content[i + 2] == '\n');
            var literal = b is >= 33 and <= 126 and not (byte)'=' || (b is (byte)' ' or (byte)'\t' && !atLineEnd);
            var width = literal ? 1 : 3;
            // Room for the soft break's '=' unless this is the last character of the line.
            if (lineLength + width > (atLineEnd ? LineLength : LineLength - 1))
            {
                output.Append("=\r\n");
                lineLength = 0;
            }

            if (literal)
            {
                output.Append((char)b);
            }
            else
            {
                output.Append('=').Append(Convert.ToHexString([b]));
            }

            lineLength += width;
        }
    }

    // Line breaks as CRLF whatever the form typed (RFC 5322 §2.3, RFC 2046 §4.1.1).
    public static string NormalizeLineBreaks(string text) =>
        text.ReplaceLineEndings("\r\n");
}
