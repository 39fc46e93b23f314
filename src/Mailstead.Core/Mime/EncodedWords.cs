using System.Text;

namespace Mailstead.Core.Mime;

// RFC 2047 encoded words: "=?" charset "?" encoding "?" encoded-text "?=".
// Decoding is for display, so it is forgiving: words glued to other text are
// decoded too, words in the same charset are joined before decoding (mailers
// split multi-byte characters across words), and an unknown charset falls back
// as MimeCharsets describes. One pass, each character looked at a bounded number
// of times, so hostile headers cost linear time.
public static class EncodedWords
{
    public static string Decode(string text)
    {
        if (!text.Contains("=?", StringComparison.Ordinal))
        {
            return text;
        }

        var output = new StringBuilder(text.Length);
        var pending = new List<byte>();
        string? pendingCharset = null;
        var position = 0;
        var afterWord = false;
        while (position < text.Length)
        {
            var start = text.IndexOf("=?", position, StringComparison.Ordinal);
            if (start < 0)
            {
                break;
            }

            if (!TryReadWord(text, start, out var word, out var resume))
            {
                Flush();
                output.Append(text, position, resume - position);
                position = resume;
                afterWord = false;
                continue;
            }

            // §6.2: whitespace between two adjacent encoded words is not displayed.
            var between = text.AsSpan(position, start - position);
            if (!afterWord || !between.IsWhiteSpace())
            {
                Flush();
                output.Append(between);
            }

            if (pendingCharset is not null && !pendingCharset.Equals(word.Charset, StringComparison.OrdinalIgnoreCase))
            {
                Flush();
            }

            pendingCharset = word.Charset;
            pending.AddRange(word.Octets);
            position = resume;
            afterWord = true;
        }

        Flush();
        output.Append(text, position, text.Length - position);
        return output.ToString();

        void Flush()
        {
            if (pendingCharset is not null)
            {
                output.Append(MimeCharsets.Decode(pending.ToArray(), pendingCharset));
                pending.Clear();
                pendingCharset = null;
            }
        }
    }

    // At "=?": reads one encoded word. On failure, resume is where the scan may go
    // on: no encoded word can start between start and resume (charset and text
    // hold no "=?" boundary that could end one), which keeps decoding linear.
    private static bool TryReadWord(string text, int start, out (string Charset, byte[] Octets) word, out int resume)
    {
        word = default;
        var i = start + 2;
        while (i < text.Length && HeaderTokenizer.IsTokenChar(text[i]))
        {
            i++;
        }

        var charset = text[(start + 2)..i];
        if (charset.Length == 0 || i + 2 >= text.Length || text[i] != '?' || text[i + 2] != '?'
            || text[i + 1] is not ('B' or 'b' or 'Q' or 'q'))
        {
            resume = Math.Max(i, start + 2);
            return false;
        }

        var encoding = char.ToUpperInvariant(text[i + 1]);
        var textStart = i + 3;
        var end = textStart;
        while (end < text.Length && text[end] is > ' ' and < (char)127 && !(text[end] == '?' && end + 1 < text.Length && text[end + 1] == '='))
        {
            end++;
        }

        if (end + 1 >= text.Length || text[end] != '?')
        {
            resume = end;
            return false;
        }

        var encoded = text.AsSpan(textStart, end - textStart);
        var octets = encoding == 'B'
            ? TransferDecoder.DecodeBase64(Encoding.ASCII.GetBytes(encoded.ToString()))
            : TransferDecoder.DecodeQ(encoded);
        word = (charset, octets);
        resume = end + 2;
        return true;
    }
}
