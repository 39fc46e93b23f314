using System.Text;

namespace Mailstead.Core.Mime;

// Writes header fields for the builder: folded at white space (RFC 5322 §2.2.3)
// so lines stay under 78 characters where the words allow, never over 998;
// non-ASCII text as RFC 2047 encoded words of at most 75 characters, whole
// characters only (§5: a multi-byte character is never split across words);
// parameters as RFC 2231 extended values, continued when long.
internal sealed class HeaderWriter
{
    // RFC 5322 §2.1.1 "SHOULD" 78; RFC 2047 §2 limits a line with encoded words to 76.
    private const int LineLimit = 76;

    // 36 bytes are 48 base64 characters: "=?utf-8?B?" + 48 + "?=" is 60, so even
    // the first word after "Subject: " keeps the line under 76.
    private const int EncodedWordBytes = 36;

    private readonly StringBuilder _output = new();

    public override string ToString() => _output.ToString();

    // Writes "Name: token token ..." folding between tokens. A token is never split.
    public void Field(string name, IEnumerable<string> tokens)
    {
        var lineLength = name.Length + 1;
        _output.Append(name).Append(':');
        var first = true;
        foreach (var token in tokens)
        {
            if (!first && token.Length > 0 && lineLength + 1 + token.Length > LineLimit)
            {
                _output.Append("\r\n");
                lineLength = 0;
            }

            _output.Append(' ').Append(token);
            lineLength += 1 + token.Length;
            first = false;
        }

        _output.Append("\r\n");
    }

    public void Field(string name, string value) => Field(name, [value]);

    // Unstructured text (Subject): ASCII words as they are, runs of words that
    // need encoding as encoded words. White space between two encoded words is
    // dropped by decoders (RFC 2047 §6.2), so a run carries its inner spaces
    // inside the encoded text.
    public static IEnumerable<string> Text(string text)
    {
        var words = text.Split(' ');
        var run = new List<string>();
        foreach (var word in words)
        {
            if (NeedsEncoding(word))
            {
                run.Add(word);
                continue;
            }

            foreach (var encoded in EncodeRun(run))
            {
                yield return encoded;
            }

            run.Clear();
            yield return word;
        }

        foreach (var encoded in EncodeRun(run))
        {
            yield return encoded;
        }
    }

    // A display name (RFC 5322 §3.2.5 phrase): atoms as they are, other ASCII as
    // one quoted string, non-ASCII as encoded words (B encoding, which RFC 2047
    // §5(3) allows in a phrase without further restrictions).
    public static IEnumerable<string> Phrase(string name)
    {
        if (!Ascii.IsValid(name))
        {
            return EncodedWords(name);
        }

        var words = name.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (words.Length > 0 && words.All(w => w.All(IsAtext)) && string.Join(' ', words) == name)
        {
            return words;
        }

        var quoted = new StringBuilder("\"");
        foreach (var c in name)
        {
            // RFC 5322 §3.2.4: quoted-pair for the quote and the backslash.
            quoted.Append(c is '"' or '\\' ? "\\" + c : c.ToString());
        }

        return [quoted.Append('"').ToString()];
    }

    // A parameter (RFC 2045 §5.1): as a token or quoted string when it is short
    // ASCII, else RFC 2231 §4 "name*=utf-8''%XX" with §3 continuations
    // ("name*0*=", "name*1*=") so that no line grows long.
    public static IEnumerable<string> Parameter(string name, string value, bool last)
    {
        var end = last ? "" : ";";
        if (Ascii.IsValid(value) && value.Length <= 60 && !value.Any(c => c is '"' or '\\' || char.IsControl(c)))
        {
            yield return value.Length > 0 && value.All(HeaderTokenizer.IsTokenChar)
                ? $"{name}={value}{end}"
                : $"{name}=\"{value}\"{end}";
            yield break;
        }

        var text = "utf-8''" + MimeParameter.PercentEncode(Encoding.UTF8.GetBytes(value));
        if (text.Length <= 60)
        {
            yield return $"{name}*={text}{end}";
            yield break;
        }

        var sections = new List<string>();
        var position = 0;
        while (position < text.Length)
        {
            var length = Math.Min(50, text.Length - position);
            // Never cut a %XX escape in two.
            var percent = text.LastIndexOf('%', position + length - 1, Math.Min(length, 2));
            if (percent >= 0 && percent + 3 > position + length)
            {
                length = percent - position;
            }

            sections.Add(text.Substring(position, length));
            position += length;
        }

        for (var i = 0; i < sections.Count; i++)
        {
            yield return $"{name}*{i}*={sections[i]}{(i == sections.Count - 1 ? end : ";")}";
        }
    }

    private static List<string> EncodeRun(List<string> run) =>
        run.Count == 0 ? [] : EncodedWords(string.Join(' ', run));

    private static bool NeedsEncoding(string word) =>
        !Ascii.IsValid(word) || word.Contains("=?", StringComparison.Ordinal) || word.Any(char.IsControl);

    // RFC 2047 §2 and §5: "=?utf-8?B?...?=", each word whole characters only.
    private static List<string> EncodedWords(string text)
    {
        var words = new List<string>();
        var chunk = new List<byte>();
        Span<byte> utf8 = stackalloc byte[4];
        foreach (var rune in text.EnumerateRunes())
        {
            var length = rune.EncodeToUtf8(utf8);
            if (chunk.Count + length > EncodedWordBytes)
            {
                words.Add(Word(chunk));
                chunk.Clear();
            }

            chunk.AddRange(utf8[..length]);
        }

        if (chunk.Count > 0)
        {
            words.Add(Word(chunk));
        }

        return words;

        static string Word(List<byte> bytes) => "=?utf-8?B?" + Convert.ToBase64String([.. bytes]) + "?=";
    }

    // RFC 5322 §3.2.3 atext.
    private static bool IsAtext(char c) =>
        char.IsAsciiLetterOrDigit(c) || "!#$%&'*+-/=?^_`{|}~".Contains(c, StringComparison.Ordinal);
}
