namespace Mailstead.Core.Mime;

// The lexical layer shared by structured header fields: RFC 5322 §3.2 (CFWS,
// quoted strings, atoms) and RFC 2045 §5.1 (tokens and tspecials). It works on
// the unfolded field value and never fails: an unterminated comment or quoted
// string simply runs to the end.
internal ref struct HeaderTokenizer(ReadOnlySpan<char> text)
{
    private readonly ReadOnlySpan<char> _text = text;

    public int Position { get; set; }

    public readonly bool AtEnd => Position >= _text.Length;

    public readonly char Peek => AtEnd ? '\0' : _text[Position];

    public bool TryConsume(char c)
    {
        if (Peek != c || AtEnd)
        {
            return false;
        }

        Position++;
        return true;
    }

    // Skips whitespace and comments; returns the text of the last comment seen,
    // which an address without a display name uses as its name (RFC 5322 §3.4 notes
    // that such comments were used that way).
    public string? SkipCfws()
    {
        string? comment = null;
        while (!AtEnd)
        {
            var c = _text[Position];
            if (c is ' ' or '\t' or '\r' or '\n')
            {
                Position++;
            }
            else if (c == '(')
            {
                comment = ReadComment();
            }
            else
            {
                break;
            }
        }

        return comment;
    }

    // RFC 2045 §5.1: token := 1*<any (US-ASCII) CHAR except SPACE, CTLs, or tspecials>
    public string? ReadToken()
    {
        var start = Position;
        while (!AtEnd && IsTokenChar(_text[Position]))
        {
            Position++;
        }

        return Position > start ? _text[start..Position].ToString() : null;
    }

    // RFC 5322 §3.2.3 atext (with 8-bit as RFC 6532 allows), plus '.' when
    // dotted (dot-atom and the obsolete phrase and local-part).
    public string? ReadAtom(bool dotted)
    {
        var start = Position;
        while (!AtEnd && (IsAtomChar(_text[Position]) || (dotted && _text[Position] == '.')))
        {
            Position++;
        }

        return Position > start ? _text[start..Position].ToString() : null;
    }

    // RFC 5322 §3.2.4, at an opening DQUOTE: the content with quoted-pairs resolved.
    public string ReadQuotedString()
    {
        Position++;
        var value = new System.Text.StringBuilder();
        while (!AtEnd)
        {
            var c = _text[Position++];
            if (c == '"')
            {
                break;
            }

            if (c == '\\' && !AtEnd)
            {
                c = _text[Position++];
            }

            value.Append(c);
        }

        return value.ToString();
    }

    // RFC 5322 §3.4.1 domain-literal, at '[': returned with its brackets.
    public string ReadDomainLiteral()
    {
        var start = Position;
        Position++;
        while (!AtEnd)
        {
            var c = _text[Position++];
            if (c == ']')
            {
                break;
            }

            if (c == '\\' && !AtEnd)
            {
                Position++;
            }
        }

        return _text[start..Position].ToString();
    }

    // Reads up to (not including) the stop character or the end.
    public string ReadUntil(char stop)
    {
        var rest = _text[Position..];
        var length = rest.IndexOf(stop);
        if (length < 0)
        {
            length = rest.Length;
        }

        Position += length;
        return rest[..length].ToString();
    }

    public static bool IsTokenChar(char c) => c is > ' ' and < (char)127 && !"()<>@,;:\\\"/[]?=".Contains(c);

    public static bool IsAtomChar(char c) => c > ' ' && c != (char)127 && !"()<>[]:;@\\,.\"".Contains(c);

    // RFC 5322 §3.2.2: comments nest and may hold quoted-pairs.
    private string ReadComment()
    {
        var start = Position + 1;
        var depth = 0;
        while (!AtEnd)
        {
            var c = _text[Position++];
            if (c == '\\')
            {
                Position = Math.Min(Position + 1, _text.Length);
            }
            else if (c == '(')
            {
                depth++;
            }
            else if (c == ')' && --depth == 0)
            {
                return _text[start..(Position - 1)].ToString();
            }
        }

        return _text[Math.Min(start, _text.Length)..].ToString();
    }
}
