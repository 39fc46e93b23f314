using System.Buffers;
using System.Globalization;
using System.Text;

namespace Mailstead.Protocols.Imap.Commands;

/// <summary>The character classes of RFC 3501 §9, shared by the framer and the parser.</summary>
internal static class ImapChars
{
    // atom-specials = "(" / ")" / "{" / SP / CTL / list-wildcards / quoted-specials / resp-specials
    private const string AtomSpecials = "(){ %*\"\\]";

    /// <summary>ATOM-CHAR: any CHAR (%x01-7F) except atom-specials.</summary>
    public static readonly SearchValues<byte> Atom = Create(b => !AtomSpecials.Contains((char)b, StringComparison.Ordinal));

    /// <summary>ASTRING-CHAR = ATOM-CHAR / resp-specials.</summary>
    public static readonly SearchValues<byte> Astring = Create(b => b == ']' || !AtomSpecials.Contains((char)b, StringComparison.Ordinal));

    /// <summary>tag = 1*&lt;any ASTRING-CHAR except "+"&gt;.</summary>
    public static readonly SearchValues<byte> Tag = Create(b => b != '+' && (b == ']' || !AtomSpecials.Contains((char)b, StringComparison.Ordinal)));

    /// <summary>list-char = ATOM-CHAR / list-wildcards / resp-specials.</summary>
    public static readonly SearchValues<byte> List = Create(b => b is (byte)'%' or (byte)'*' or (byte)']' || !AtomSpecials.Contains((char)b, StringComparison.Ordinal));

    /// <summary>Inside a section "[...]": section-spec atoms plus the SP and parentheses of header-list.</summary>
    public static readonly SearchValues<byte> Section = Create(b => b is (byte)' ' or (byte)'(' or (byte)')' || !AtomSpecials.Contains((char)b, StringComparison.Ordinal));

    /// <summary>A fetch-att name such as BODY.PEEK, stopping before "[" and "&lt;".</summary>
    public static readonly SearchValues<byte> FetchAttribute = Create(b => b is not ((byte)'[' or (byte)'<') && !AtomSpecials.Contains((char)b, StringComparison.Ordinal));

    public static readonly SearchValues<byte> Digits = SearchValues.Create("0123456789"u8);

    /// <summary>
    /// Client text made safe to send back inside resp-text: printable US-ASCII without DQUOTE, any other byte (read as
    /// Latin-1) as its value, so a UTF-8 "é" reads \xC3\xA9; cut at the first line end and at 40 characters.
    /// </summary>
    public static string Printable(string text)
    {
        var line = text.AsSpan();
        var end = line.IndexOfAny('\r', '\n');
        line = line[..(end < 0 ? Math.Min(line.Length, 40) : Math.Min(end, 40))];
        var result = new StringBuilder(line.Length);
        foreach (var c in line)
        {
            if (c is >= ' ' and < '\x7F' and not '"')
            {
                result.Append(c);
            }
            else
            {
                result.Append(CultureInfo.InvariantCulture, $"\\x{(int)c:X2}");
            }
        }

        return result.ToString();
    }

    private static SearchValues<byte> Create(Func<byte, bool> include)
    {
        var bytes = new List<byte>();
        // CTL (%x00-1F, %x7F) and 8-bit bytes are never part of these classes.
        for (var b = 0x20; b < 0x7F; b++)
        {
            if (include((byte)b))
            {
                bytes.Add((byte)b);
            }
        }
        return SearchValues.Create(bytes.ToArray());
    }
}
