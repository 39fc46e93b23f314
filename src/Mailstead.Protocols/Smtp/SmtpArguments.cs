using System.Buffers;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Mailstead.Protocols.Smtp;

/// <summary>
/// A mailbox of a path (RFC 5321 §4.1.2). <see cref="Domain"/> is null only for RCPT TO:&lt;Postmaster&gt;. A quoted
/// local part that needs no quotes is kept unquoted: §4.1.2 says all quoted forms are equivalent.
/// </summary>
internal sealed record SmtpPath(string LocalPart, string? Domain, bool IsAddressLiteral)
{
    public string Address => Domain is null ? LocalPart : LocalPart + "@" + Domain;

    /// <summary>RFC 6531 §3.3: a non-ASCII path needs the SMTPUTF8 parameter.</summary>
    public bool IsAscii => Ascii.IsValid(Address);
}

/// <summary>RFC 6152 BODY=7BIT or BODY=8BITMIME.</summary>
internal enum BodyType
{
    SevenBit,
    EightBitMime,
}

/// <summary>MAIL FROM: the reverse-path (null for &lt;&gt;) and the parameters of the extensions we offer.</summary>
internal sealed record MailFrom(SmtpPath? ReversePath, long? Size, BodyType Body, bool SmtpUtf8);

/// <summary>
/// The argument grammars of RFC 5321 §4.1.2 and §4.1.3 (with RFC 6531 §3.3's UTF-8 additions), synchronous and
/// allocation-light; every refusal is a reply value. Only the leniency real clients need: spaces after "FROM:"
/// and "TO:", and several spaces between parameters.
/// </summary>
internal static class SmtpArguments
{
    // RFC 5321 §4.5.3.1: local part 64 octets, domain 255, path 256 including the angle brackets.
    private const int MaxLocalPart = 64;
    private const int MaxDomain = 255;
    private const int MaxPath = 256;

    // RFC 1870 §3: size-value = 1*20DIGIT.
    private const int MaxSizeDigits = 20;

    private static readonly SearchValues<char> AtextSymbols = SearchValues.Create("!#$%&'*+-/=?^_`{|}~");
    private static readonly SearchValues<char> Digits = SearchValues.Create("0123456789");
    private static readonly SearchValues<char> IPv6Characters = SearchValues.Create("0123456789abcdefABCDEF:.");
    private static readonly SearchValues<char> LdhCharacters = SearchValues.Create("-0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ");

    /// <summary>EHLO/HELO: <c>Domain / address-literal</c> (RFC 5321 §4.1.1.1).</summary>
    public static Parsed<string> ParseHelo(string argument)
    {
        var i = 0;
        var error = argument.StartsWith('[') ? AddressLiteral(argument, ref i, out _) : Domain(argument, ref i, utf8: false, out _);
        return error is null && i == argument.Length
            ? argument
            : new SmtpReply(501, "5.5.4", "Syntax: EHLO followed by your domain name or address literal (RFC 5321 §4.1.1.1)");
    }

    /// <summary><c>"FROM:" Reverse-path [SP Mail-parameters]</c> (RFC 5321 §4.1.1.2).</summary>
    public static Parsed<MailFrom> ParseMail(string argument, bool authOffered)
    {
        if (!argument.StartsWith("FROM:", StringComparison.OrdinalIgnoreCase))
        {
            return new SmtpReply(501, "5.5.4", "Syntax: MAIL FROM:<address>");
        }

        var i = SkipSpaces(argument, 5);
        SmtpPath? path = null;
        if (string.CompareOrdinal(argument, i, "<>", 0, 2) == 0)
        {
            i += 2;
        }
        else if (Path(argument, ref i, postmaster: false, out path) is { } pathError)
        {
            return new SmtpReply(501, "5.1.7", $"Bad sender address: {pathError}");
        }

        var parameters = Parameters(argument, i);
        if (!parameters.Succeeded)
        {
            return parameters.Error;
        }

        long? size = null;
        var body = BodyType.SevenBit;
        var utf8 = false;
        foreach (var (keyword, value) in parameters.Value!)
        {
            var bad = new SmtpReply(501, "5.5.4", $"Bad value for the {keyword.ToUpperInvariant()} parameter");
            switch (keyword.ToUpperInvariant())
            {
                case "SIZE":
                    if (value is not { Length: > 0 and <= MaxSizeDigits } || !value.All(char.IsAsciiDigit))
                    {
                        return bad;
                    }

                    // Twenty digits can overflow a long; any such size is too large anyway.
                    size = long.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var declared) ? declared : long.MaxValue;
                    break;
                case "BODY":
                    (var known, body) = value?.ToUpperInvariant() switch
                    {
                        "7BIT" => (true, BodyType.SevenBit),
                        "8BITMIME" => (true, BodyType.EightBitMime),
                        _ => (false, body),
                    };
                    if (!known)
                    {
                        return bad;
                    }

                    break;
                case "SMTPUTF8":
                    // RFC 6531 §3.4: the parameter takes no value.
                    if (value is not null)
                    {
                        return bad;
                    }

                    utf8 = true;
                    break;
                case "AUTH" when authOffered:
                    // RFC 4954 §5: the original submitter. We trust only our own AUTH, so it is accepted and ignored.
                    if (value is null)
                    {
                        return bad;
                    }

                    break;
                default:
                    return new SmtpReply(555, "5.5.4", $"MAIL FROM parameter {keyword} is not supported");
            }
        }

        return new MailFrom(path, size, body, utf8);
    }

    /// <summary>
    /// <c>"RCPT TO:" ( "&lt;Postmaster@" Domain "&gt;" / "&lt;Postmaster&gt;" / Forward-path ) [SP Rcpt-parameters]</c>
    /// (RFC 5321 §4.1.1.3). We offer no RCPT parameters, so any is refused with 555.
    /// </summary>
    public static Parsed<SmtpPath> ParseRcpt(string argument)
    {
        if (!argument.StartsWith("TO:", StringComparison.OrdinalIgnoreCase))
        {
            return new SmtpReply(501, "5.5.4", "Syntax: RCPT TO:<address>");
        }

        var i = SkipSpaces(argument, 3);
        if (Path(argument, ref i, postmaster: true, out var path) is { } pathError)
        {
            return new SmtpReply(501, "5.1.3", $"Bad recipient address: {pathError}");
        }

        var parameters = Parameters(argument, i);
        if (!parameters.Succeeded)
        {
            return parameters.Error;
        }

        return parameters.Value!.Count == 0 ? path! : new SmtpReply(555, "5.5.4", $"RCPT TO parameter {parameters.Value[0].Keyword} is not supported");
    }

    /// <summary><c>Path = "&lt;" [ A-d-l ":" ] Mailbox "&gt;"</c>; returns the error text, or null with <paramref name="i"/> past the "&gt;".</summary>
    private static string? Path(string s, ref int i, bool postmaster, out SmtpPath? path)
    {
        path = null;
        var start = i;
        if (!Expect(s, ref i, '<'))
        {
            return "the address must be in angle brackets, as <name@example.com>";
        }

        if (postmaster && string.Compare(s, i, "Postmaster>", 0, 11, StringComparison.OrdinalIgnoreCase) == 0)
        {
            i += 11;
            path = new SmtpPath("postmaster", null, IsAddressLiteral: false);
            return null;
        }

        // A-d-l, the source route: "MUST BE accepted, SHOULD NOT be generated, and SHOULD be ignored".
        if (i < s.Length && s[i] == '@')
        {
            do
            {
                i++;
                if (Domain(s, ref i, utf8: true, out _) is { } routeError)
                {
                    return routeError;
                }
            }
            while (Expect(s, ref i, ',') && i < s.Length && s[i] == '@');

            if (!Expect(s, ref i, ':'))
            {
                return "a source route must end with ':'";
            }
        }

        var error = LocalPart(s, ref i, out var local);
        if (error is not null)
        {
            return error;
        }

        if (!Expect(s, ref i, '@'))
        {
            return "the address needs a domain, as in name@example.com";
        }

        string domain;
        var literal = i < s.Length && s[i] == '[';
        error = literal ? AddressLiteral(s, ref i, out domain) : Domain(s, ref i, utf8: true, out domain);
        if (error is not null)
        {
            return error;
        }

        if (!Expect(s, ref i, '>'))
        {
            return "unexpected characters after the address";
        }

        if (Encoding.UTF8.GetByteCount(s.AsSpan(start, i - start)) > MaxPath)
        {
            return $"the path is longer than {MaxPath} octets (RFC 5321 §4.5.3.1.3)";
        }

        path = new SmtpPath(local, domain, literal);
        return null;
    }

    /// <summary><c>Local-part = Dot-string / Quoted-string</c>.</summary>
    private static string? LocalPart(string s, ref int i, out string local)
    {
        var start = i;
        if (i < s.Length && s[i] == '"')
        {
            var unquoted = new StringBuilder();
            i++;
            while (true)
            {
                if (i >= s.Length)
                {
                    local = "";
                    return "unterminated quoted string";
                }

                var c = s[i++];
                if (c == '"')
                {
                    break;
                }

                // quoted-pairSMTP = %d92 %d32-126; qtextSMTP = %d32-33 / %d35-91 / %d93-126 / UTF8-non-ascii.
                if (c == '\\')
                {
                    if (i >= s.Length || s[i] is < ' ' or > '~')
                    {
                        local = "";
                        return "bad quoted pair in the local part";
                    }

                    c = s[i++];
                }
                else if (c < ' ' || c == 127)
                {
                    local = "";
                    return "control character in the local part";
                }

                unquoted.Append(c);
            }

            // §4.1.2: quoted forms are equivalent; use the minimum quoting, none when a Dot-string will do.
            var content = unquoted.ToString();
            local = IsDotString(content) ? content : s[start..i];
        }
        else
        {
            while (i < s.Length && (IsAtext(s[i]) || s[i] == '.'))
            {
                i++;
            }

            local = s[start..i];
            if (!IsDotString(local))
            {
                return local.Length == 0 ? "the local part (before @) is missing" : $"'{local}' is not a valid local part";
            }
        }

        return Encoding.UTF8.GetByteCount(local) > MaxLocalPart ? $"the local part is longer than {MaxLocalPart} octets" : null;
    }

    /// <summary><c>Domain = sub-domain *("." sub-domain)</c>, <c>sub-domain = Let-dig [Ldh-str]</c> or, with SMTPUTF8, a U-label.</summary>
    private static string? Domain(string s, ref int i, bool utf8, out string domain)
    {
        var start = i;
        while (true)
        {
            var label = i;
            while (i < s.Length && (char.IsAsciiLetterOrDigit(s[i]) || s[i] == '-' || (utf8 && s[i] > 127 && !char.IsControl(s[i]) && !char.IsWhiteSpace(s[i]))))
            {
                i++;
            }

            if (i == label || s[label] == '-' || s[i - 1] == '-')
            {
                domain = "";
                return "the domain name is not valid (letters, digits and inner hyphens in dot-separated labels)";
            }

            if (i < s.Length && s[i] == '.')
            {
                i++;
                continue;
            }

            domain = s[start..i];
            return domain.Length > MaxDomain ? $"the domain is longer than {MaxDomain} characters" : null;
        }
    }

    /// <summary><c>address-literal = "[" ( IPv4-address-literal / IPv6-address-literal / General-address-literal ) "]"</c> (RFC 5321 §4.1.3).</summary>
    private static string? AddressLiteral(string s, ref int i, out string literal)
    {
        literal = "";
        var start = i;
        var close = s.IndexOf(']', i);
        if (close < 0)
        {
            return "unterminated address literal";
        }

        var content = s.AsSpan(i + 1, close - i - 1);
        var valid = content.StartsWith("IPv6:", StringComparison.OrdinalIgnoreCase)
            ? !content[5..].ContainsAnyExcept(IPv6Characters) && IPAddress.TryParse(content[5..], out var v6) && v6.AddressFamily == AddressFamily.InterNetworkV6
            : content.Length > 0 && char.IsAsciiDigit(content[0]) && !content.Contains(':') ? IsIPv4(content) : IsGeneralLiteral(content);
        if (!valid)
        {
            return "the address literal is not valid";
        }

        i = close + 1;
        literal = s[start..i];
        return null;
    }

    // IPv4-address-literal = Snum 3("." Snum); Snum = 1*3DIGIT, 0 to 255.
    private static bool IsIPv4(ReadOnlySpan<char> content)
    {
        var parts = 0;
        foreach (var range in content.Split('.'))
        {
            var part = content[range];
            if (part.Length is 0 or > 3 || part.ContainsAnyExcept(Digits) || int.Parse(part, CultureInfo.InvariantCulture) > 255)
            {
                return false;
            }

            parts++;
        }

        return parts == 4;
    }

    // General-address-literal = Standardized-tag ":" 1*dcontent; dcontent = %d33-90 / %d94-126.
    private static bool IsGeneralLiteral(ReadOnlySpan<char> content)
    {
        var colon = content.IndexOf(':');
        if (colon <= 0 || colon == content.Length - 1)
        {
            return false;
        }

        var tag = content[..colon];
        if (!char.IsAsciiLetterOrDigit(tag[0]) || !char.IsAsciiLetterOrDigit(tag[^1]) || tag.ContainsAnyExcept(LdhCharacters))
        {
            return false;
        }

        foreach (var c in content[(colon + 1)..])
        {
            if (c is < (char)33 or > (char)126 or '[' or '\\' or ']')
            {
                return false;
            }
        }

        return true;
    }

    /// <summary><c>*(SP esmtp-param)</c>, <c>esmtp-param = esmtp-keyword ["=" esmtp-value]</c>.</summary>
    private static Parsed<List<(string Keyword, string? Value)>> Parameters(string s, int i)
    {
        var parameters = new List<(string, string?)>();
        while (i < s.Length)
        {
            if (s[i] != ' ')
            {
                return new SmtpReply(501, "5.5.4", "Syntax: parameters are separated from the address by a space");
            }

            i = SkipSpaces(s, i);
            // esmtp-keyword = (ALPHA / DIGIT) *(ALPHA / DIGIT / "-")
            var start = i;
            while (i < s.Length && (char.IsAsciiLetterOrDigit(s[i]) || (s[i] == '-' && i > start)))
            {
                i++;
            }

            var keyword = s[start..i];
            string? value = null;
            if (i < s.Length && s[i] == '=')
            {
                // esmtp-value = 1*(%d33-60 / %d62-126 / UTF8-non-ascii): anything but "=", SP and controls.
                var valueStart = ++i;
                while (i < s.Length && s[i] != ' ' && s[i] != '=' && s[i] > ' ' && s[i] != 127)
                {
                    i++;
                }

                value = s[valueStart..i];
                if (value.Length == 0)
                {
                    return new SmtpReply(501, "5.5.4", $"Syntax: the {keyword} parameter needs a value after '='");
                }
            }

            if (keyword.Length == 0 || (i < s.Length && s[i] != ' '))
            {
                return new SmtpReply(501, "5.5.4", "Syntax: a parameter is KEYWORD or KEYWORD=value");
            }

            if (parameters.Exists(p => p.Item1.Equals(keyword, StringComparison.OrdinalIgnoreCase)))
            {
                return new SmtpReply(501, "5.5.4", $"The {keyword} parameter is given twice");
            }

            parameters.Add((keyword, value));
        }

        return parameters;
    }

    // Dot-string = Atom *("." Atom); Atom = 1*atext.
    private static bool IsDotString(string text)
    {
        if (text.Length == 0 || text[0] == '.' || text[^1] == '.' || text.Contains("..", StringComparison.Ordinal))
        {
            return false;
        }

        foreach (var c in text)
        {
            if (c != '.' && !IsAtext(c))
            {
                return false;
            }
        }

        return true;
    }

    // RFC 5322 §3.2.3 atext, plus RFC 6531 §3.3's UTF8-non-ascii.
    private static bool IsAtext(char c) =>
        char.IsAsciiLetterOrDigit(c) || AtextSymbols.Contains(c) || (c > 127 && !char.IsControl(c) && !char.IsWhiteSpace(c));

    private static bool Expect(string s, ref int i, char c)
    {
        if (i < s.Length && s[i] == c)
        {
            i++;
            return true;
        }

        return false;
    }

    // Not in the grammar, but widespread: "MAIL FROM: <a@b>".
    private static int SkipSpaces(string s, int i)
    {
        while (i < s.Length && s[i] == ' ')
        {
            i++;
        }

        return i;
    }
}
