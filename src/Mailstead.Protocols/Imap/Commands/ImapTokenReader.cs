using System.Buffers;
using System.Globalization;
using System.Text;
using System.Text.Unicode;

namespace Mailstead.Protocols.Imap.Commands;

/// <summary>
/// The lexical layer of RFC 3501 §9 over one framed command: atoms, numbers,
/// strings, sequence sets, dates, flags and mailbox names. Every method returns
/// false on bad input after recording the first failure, so the grammar code reads
/// as a chain of <c>&amp;&amp;</c> and the error surfaces as a value.
/// </summary>
internal ref struct ImapTokenReader
{
    // Parenthesised lists, NOT and OR recurse; this bounds the stack hostile input can use.
    private const int MaxNestingDepth = 32;

    private static readonly string[] Months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

    private SequenceReader<byte> _reader;
    private readonly bool _utf8;
    private int _depth;

    public ImapTokenReader(ReadOnlySequence<byte> command, bool utf8Enabled)
    {
        _reader = new SequenceReader<byte>(command);
        _utf8 = utf8Enabled;
    }

    public ImapRejectReason ErrorReason { get; private set; }

    public string? ErrorMessage { get; private set; }

    /// <summary>Set by a SEARCH RETURN (SAVE) refused with NO: see <see cref="ImapRejection.ClearsSavedResult"/>.</summary>
    public bool ClearsSavedResult { get; set; }

    public readonly bool End => _reader.End;

    public readonly bool IsNext(byte b) => _reader.TryPeek(out var next) && next == b;

    public readonly bool IsNextDigit => _reader.TryPeek(out var next) && char.IsAsciiDigit((char)next);

    public bool Fail(ImapRejectReason reason, string message)
    {
        if (ErrorMessage is null)
        {
            ErrorReason = reason;
            ErrorMessage = message;
        }
        return false;
    }

    /// <summary>Fails with "expected X", or with the more precise reason the next byte gives.</summary>
    public bool Expected(string what)
    {
        if (!_reader.TryPeek(out var next))
        {
            return Fail(ImapRejectReason.SyntaxError, $"Unexpected end of command: expected {what}");
        }
        if (next == 0)
        {
            return Fail(ImapRejectReason.NulCharacter, "NUL is not allowed in commands");
        }
        // RFC 3501 §4.3, §9 (CHAR8 only in literal): a client that writes UTF-8 into an atom or quoted string hears how
        // to send it instead of only seeing bytes it cannot read.
        var eightBit = next >= 0x80 ? "; 8-bit text is allowed only in a literal ({size} and the bytes)" : "";
        return Fail(ImapRejectReason.SyntaxError, $"Expected {what} at \"{Snippet()}\"{eightBit}");
    }

    public bool Expect(byte b, string what)
    {
        if (_reader.IsNext(b, advancePast: true))
        {
            return true;
        }
        return Expected(what);
    }

    public bool Sp() => Expect((byte)' ', "a space");

    public bool TryConsume(byte b) => _reader.IsNext(b, advancePast: true);

    public bool ExpectEnd() => End || Expected("the end of the command");

    /// <summary>Enters a parenthesised list, NOT or OR; bounds recursion on hostile input.</summary>
    public bool Enter()
    {
        if (++_depth > MaxNestingDepth)
        {
            return Fail(ImapRejectReason.TooDeeplyNested, $"Nesting deeper than {MaxNestingDepth} levels");
        }
        return true;
    }

    public void Leave() => _depth--;

    /// <summary>Consumes <paramref name="word"/> (case-insensitively) if it is the next whole atom.</summary>
    public bool TryWord(string word)
    {
        var saved = _reader;
        if (TryPrefix(word) && !(_reader.TryPeek(out var after) && ImapChars.Atom.Contains(after)))
        {
            return true;
        }
        _reader = saved;
        return false;
    }

    public bool Atom(out string atom, string what) => Chars(ImapChars.Atom, out atom, what);

    /// <summary>1 or more bytes of a character class, as ASCII.</summary>
    public bool Chars(SearchValues<byte> set, out string value, string what)
    {
        var bytes = ReadWhile(set);
        value = Encoding.ASCII.GetString(bytes);
        return bytes.Length > 0 || Expected(what);
    }

    /// <summary>number = 1*DIGIT, an unsigned 32-bit integer (RFC 3501 §9).</summary>
    public bool Number(out uint value, string what = "a number")
    {
        var ok = Unsigned(uint.MaxValue, out var wide, what);
        value = (uint)wide;
        return ok;
    }

    public bool NonZeroNumber(out uint value, string what = "a non-zero number") =>
        Number(out value, what) && (value != 0 || Fail(ImapRejectReason.NumberOutOfRange, $"Expected {what}, not 0"));

    /// <summary>number64 / mod-sequence-value: up to 2^63-1 (RFC 9051 §9, RFC 7162 §7).</summary>
    public bool Number64(out ulong value, string what) => Unsigned(long.MaxValue, out value, what);

    private bool Unsigned(ulong max, out ulong value, string what)
    {
        value = 0;
        var digits = ReadWhile(ImapChars.Digits);
        if (digits.IsEmpty)
        {
            return Expected(what);
        }
        if (digits.Length > 20 || !ulong.TryParse(Encoding.ASCII.GetString(digits), NumberStyles.None, CultureInfo.InvariantCulture, out value) || value > max)
        {
            value = 0;
            return Fail(ImapRejectReason.NumberOutOfRange, $"Number out of range: {what}");
        }
        return true;
    }

    /// <summary>
    /// sequence-set (RFC 3501 §9): seq-number or seq-range, comma separated; or "$", the saved search result
    /// (sequence-set =/ seq-last-command, RFC 9051 §9), which stands alone: RFC 5182 §2.1 has no way to combine
    /// it with numbers but SEARCH's OR. Where "*" is not allowed (QRESYNC's known UIDs) "$" is not either.
    /// </summary>
    public bool SequenceSet(out SequenceSet set, bool allowStar = true)
    {
        set = null!;
        if (allowStar && TryConsume((byte)'$'))
        {
            set = Commands.SequenceSet.SavedResult;
            return true;
        }
        var ranges = new List<SequenceRange>();
        do
        {
            if (!SeqNumber(out var first, allowStar))
            {
                return false;
            }
            var last = first;
            if (TryConsume((byte)':') && !SeqNumber(out last, allowStar))
            {
                return false;
            }
            ranges.Add(SequenceRange.Create(first, last));
        }
        while (TryConsume((byte)','));
        set = new SequenceSet(ranges);
        return true;
    }

    private bool SeqNumber(out uint value, bool allowStar)
    {
        if (allowStar && TryConsume((byte)'*'))
        {
            value = SequenceRange.Star;
            return true;
        }
        return NonZeroNumber(out value, allowStar ? "a message number or *" : "a message number");
    }

    /// <summary>string = quoted / literal (RFC 3501 §4.3), as bytes.</summary>
    public bool String(out byte[] value, string what)
    {
        value = [];
        if (IsNext((byte)'"'))
        {
            return Quoted(out value);
        }
        if (IsNext((byte)'{'))
        {
            if (!Literal(allowBinary: false, out var data, out _))
            {
                return false;
            }
            value = data.ToArray();
            return true;
        }
        return Expected(what);
    }

    /// <summary>astring = 1*ASTRING-CHAR / string, as bytes.</summary>
    public bool AstringBytes(out byte[] value, string what)
    {
        if (IsNext((byte)'"') || IsNext((byte)'{'))
        {
            return String(out value, what);
        }
        var bytes = ReadWhile(ImapChars.Astring);
        value = bytes.ToArray();
        return value.Length > 0 || Expected(what);
    }

    public bool Astring(out string value, string what)
    {
        value = "";
        return AstringBytes(out var bytes, what) && Text(bytes, out value);
    }

    /// <summary>nstring = string / NIL.</summary>
    public bool NString(out string? value, string what)
    {
        value = null;
        if (TryWord("NIL"))
        {
            return true;
        }
        if (!String(out var bytes, what) || !Text(bytes, out var text))
        {
            return false;
        }
        value = text;
        return true;
    }

    /// <summary>mailbox = "INBOX" / astring (RFC 3501 §9), decoded.</summary>
    public bool Mailbox(out string name)
    {
        name = "";
        if (!AstringBytes(out var bytes, "a mailbox name") || !MailboxName(bytes, out name))
        {
            return false;
        }
        if (string.Equals(name, "INBOX", StringComparison.OrdinalIgnoreCase))
        {
            name = "INBOX";
        }
        return true;
    }

    /// <summary>list-mailbox = 1*list-char / string, decoded like a mailbox name; wildcards kept.</summary>
    public bool ListMailbox(out string pattern)
    {
        pattern = "";
        byte[] bytes;
        if (IsNext((byte)'"') || IsNext((byte)'{'))
        {
            if (!String(out bytes, "a mailbox pattern"))
            {
                return false;
            }
        }
        else
        {
            bytes = ReadWhile(ImapChars.List).ToArray();
            if (bytes.Length == 0)
            {
                return Expected("a mailbox pattern");
            }
        }
        return MailboxName(bytes, out pattern);
    }

    /// <summary>
    /// Literal (RFC 3501 §4.3, RFC 7888) or, when allowed, literal8 (RFC 4466 §2.1).
    /// The framer has already enforced the size limits.
    /// </summary>
    public bool Literal(bool allowBinary, out ReadOnlySequence<byte> data, out bool binary)
    {
        data = default;
        binary = allowBinary && TryConsume((byte)'~');
        if (!Expect((byte)'{', "a literal"))
        {
            return false;
        }
        var digits = ReadWhile(ImapChars.Digits);
        if (digits.IsEmpty || digits.Length > 18)
        {
            return Expected("a literal length");
        }
        var length = long.Parse(Encoding.ASCII.GetString(digits), NumberStyles.None, CultureInfo.InvariantCulture);
        TryConsume((byte)'+');
        if (!Expect((byte)'}', "\"}\" closing the literal length"))
        {
            return false;
        }
        TryConsume((byte)'\r');
        if (!Expect((byte)'\n', "a line end after the literal length"))
        {
            return false;
        }
        if (_reader.Remaining < length)
        {
            return Fail(ImapRejectReason.SyntaxError, "Literal is shorter than announced");
        }
        data = _reader.UnreadSequence.Slice(0, length);
        _reader.Advance(length);
        // CHAR8 = %x01-ff: only literal8 may carry NUL (RFC 3516 §4.1).
        return binary || data.PositionOf((byte)0) is null || Fail(ImapRejectReason.NulCharacter, "NUL is not allowed in a literal (use literal8)");
    }

    /// <summary>flag-list = "(" [flag *(SP flag)] ")".</summary>
    public bool FlagList(out List<string> flags)
    {
        flags = [];
        if (!Expect((byte)'(', "a flag list"))
        {
            return false;
        }
        if (TryConsume((byte)')'))
        {
            return true;
        }
        do
        {
            if (!Flag(out var flag))
            {
                return false;
            }
            flags.Add(flag);
        }
        while (TryConsume((byte)' '));
        return Expect((byte)')', "\")\" closing the flag list");
    }

    /// <summary>
    /// flag = "\" atom / atom. \Recent is not a flag a client may set (RFC 3501 §9
    /// "flag"); system flags come back in their canonical spelling.
    /// </summary>
    public bool Flag(out string flag)
    {
        var system = TryConsume((byte)'\\');
        if (!Atom(out flag, "a flag"))
        {
            return false;
        }
        if (!system)
        {
            return true;
        }
        if (flag.Equals("Recent", StringComparison.OrdinalIgnoreCase))
        {
            return Fail(ImapRejectReason.SyntaxError, @"\Recent cannot be set by a client");
        }
        flag = flag.ToUpperInvariant() switch
        {
            "ANSWERED" => @"\Answered",
            "FLAGGED" => @"\Flagged",
            "DELETED" => @"\Deleted",
            "SEEN" => @"\Seen",
            "DRAFT" => @"\Draft",
            _ => "\\" + flag,
        };
        return true;
    }

    /// <summary>date = date-text / DQUOTE date-text DQUOTE; date-text = date-day "-" date-month "-" date-year.</summary>
    public bool Date(out DateOnly date)
    {
        date = default;
        var quoted = TryConsume((byte)'"');
        if (!Digits(1, 2, out var day, "a day of month") || !Expect((byte)'-', "\"-\" in the date")
            || !Month(out var month) || !Expect((byte)'-', "\"-\" in the date") || !Digits(4, 4, out var year, "a four-digit year")
            || (quoted && !Expect((byte)'"', "a closing quote after the date")))
        {
            return false;
        }
        if (!ValidDate(year, month, day))
        {
            return Fail(ImapRejectReason.InvalidDate, "No such date");
        }
        date = new DateOnly(year, month, day);
        return true;
    }

    /// <summary>
    /// date-time = DQUOTE date-day-fixed "-" date-month "-" date-year SP time SP zone DQUOTE.
    /// A one-digit day without the leading space is accepted too; several clients send it.
    /// </summary>
    public bool DateTime(out DateTimeOffset value)
    {
        value = default;
        if (!Expect((byte)'"', "a quoted date-time"))
        {
            return false;
        }
        TryConsume((byte)' ');
        if (!Digits(1, 2, out var day, "a day of month") || !Expect((byte)'-', "\"-\" in the date")
            || !Month(out var month) || !Expect((byte)'-', "\"-\" in the date") || !Digits(4, 4, out var year, "a four-digit year")
            || !Sp() || !Digits(2, 2, out var hour, "hours") || !Expect((byte)':', "\":\" in the time")
            || !Digits(2, 2, out var minute, "minutes") || !Expect((byte)':', "\":\" in the time")
            || !Digits(2, 2, out var second, "seconds") || !Sp())
        {
            return false;
        }
        var negative = TryConsume((byte)'-');
        if ((!negative && !Expect((byte)'+', "a zone such as +0000")) || !Digits(4, 4, out var zone, "a four-digit zone")
            || !Expect((byte)'"', "a closing quote after the date-time"))
        {
            return false;
        }
        var offset = new TimeSpan(zone / 100, zone % 100, 0);
        // A leap second (:60) has no DateTimeOffset; it is read as :59.
        if (!ValidDate(year, month, day) || hour > 23 || minute > 59 || second > 60 || zone % 100 > 59 || offset > TimeSpan.FromHours(14))
        {
            return Fail(ImapRejectReason.InvalidDate, "No such date-time");
        }
        value = new DateTimeOffset(year, month, day, hour, minute, Math.Min(second, 59), negative ? -offset : offset);
        return true;
    }

    private static bool ValidDate(int year, int month, int day) =>
        year >= 1 && day >= 1 && day <= System.DateTime.DaysInMonth(year, month);

    private bool Month(out int month)
    {
        month = 0;
        for (var i = 0; i < Months.Length; i++)
        {
            if (TryPrefix(Months[i]))
            {
                month = i + 1;
                return true;
            }
        }
        return Expected("a month such as Jan");
    }

    private bool TryPrefix(string text)
    {
        var probe = _reader;
        foreach (var c in text)
        {
            if (!probe.TryRead(out var b) || char.ToUpperInvariant((char)b) != char.ToUpperInvariant(c))
            {
                return false;
            }
        }
        _reader = probe;
        return true;
    }

    private bool Digits(int min, int max, out int value, string what)
    {
        value = 0;
        var count = 0;
        while (count < max && _reader.TryPeek(out var b) && char.IsAsciiDigit((char)b))
        {
            value = (value * 10) + (b - '0');
            _reader.Advance(1);
            count++;
        }
        return count >= min || Expected(what);
    }

    private bool Quoted(out byte[] value)
    {
        value = [];
        _reader.Advance(1);
        var start = _reader.Position;
        var escapes = false;
        while (_reader.TryRead(out var b))
        {
            switch (b)
            {
                case (byte)'"':
                    _reader.Rewind(1);
                    var content = _reader.Sequence.Slice(start, _reader.Position);
                    _reader.Advance(1);
                    value = escapes ? Unescape(content) : content.ToArray();
                    return true;
                case (byte)'\\':
                    // QUOTED-CHAR = <any TEXT-CHAR except quoted-specials> / "\" quoted-specials
                    if (!_reader.TryRead(out var escaped) || (escaped != '"' && escaped != '\\'))
                    {
                        return Fail(ImapRejectReason.SyntaxError, "Only \\\\ and \\\" may be escaped in a quoted string");
                    }
                    escapes = true;
                    break;
                case 0:
                    return Fail(ImapRejectReason.NulCharacter, "NUL is not allowed in a quoted string");
                case (byte)'\r' or (byte)'\n':
                    return Fail(ImapRejectReason.SyntaxError, "Quoted string is not closed");
                case >= 0x80 when !_utf8:
                    return Fail(ImapRejectReason.EightBitText, "8-bit characters in a quoted string need ENABLE UTF8=ACCEPT; use a literal");
            }
        }
        return Fail(ImapRejectReason.SyntaxError, "Quoted string is not closed");
    }

    private static byte[] Unescape(ReadOnlySequence<byte> content)
    {
        var result = new List<byte>((int)content.Length);
        var escaped = false;
        foreach (var segment in content)
        {
            foreach (var b in segment.Span)
            {
                if (!escaped && b == '\\')
                {
                    escaped = true;
                    continue;
                }
                escaped = false;
                result.Add(b);
            }
        }
        return [.. result];
    }

    /// <summary>Text arguments are UTF-8 (RFC 6855 §3; US-ASCII is a subset).</summary>
    public bool Text(byte[] bytes, out string text)
    {
        text = "";
        if (!Utf8.IsValid(bytes))
        {
            return Fail(ImapRejectReason.InvalidUtf8, "Text is not valid UTF-8");
        }
        text = Encoding.UTF8.GetString(bytes);
        return true;
    }

    /// <summary>
    /// Mailbox names are modified UTF-7 (RFC 3501 §5.1.3) unless the client enabled
    /// UTF8=ACCEPT, after which they are UTF-8 (RFC 6855 §3).
    /// </summary>
    private bool MailboxName(byte[] bytes, out string name)
    {
        if (_utf8)
        {
            return Text(bytes, out name);
        }
        return ModifiedUtf7.TryDecode(bytes, out name)
            || Fail(ImapRejectReason.InvalidMailboxName, "Mailbox name is not valid modified UTF-7 (RFC 3501 section 5.1.3)");
    }

    /// <summary>The raw text of a bracketed section, "[" and "]" excluded, with any literal turned into a quoted string.</summary>
    public bool Section(out string section)
    {
        section = "";
        if (!Expect((byte)'[', "\"[\""))
        {
            return false;
        }
        var text = new StringBuilder();
        while (true)
        {
            var run = ReadWhile(ImapChars.Section);
            text.Append(Encoding.ASCII.GetString(run));
            if (TryConsume((byte)']'))
            {
                section = text.ToString();
                return true;
            }
            if (IsNext((byte)'"') || IsNext((byte)'{'))
            {
                // header-fld-name is an astring: hand the body engine one spelling of it.
                if (!String(out var bytes, "a header field name"))
                {
                    return false;
                }
                var quoted = ImapQuoting.TryQuote(bytes);
                if (quoted is null)
                {
                    return Fail(ImapRejectReason.SyntaxError, "Header field name cannot be quoted");
                }
                text.Append(quoted);
                continue;
            }
            return Expected("\"]\" closing the section");
        }
    }

    private ReadOnlySequence<byte> ReadWhile(SearchValues<byte> set)
    {
        var start = _reader.Position;
        while (!_reader.End)
        {
            var span = _reader.UnreadSpan;
            var stop = span.IndexOfAnyExcept(set);
            if (stop >= 0)
            {
                _reader.Advance(stop);
                break;
            }
            _reader.Advance(span.Length);
        }
        return _reader.Sequence.Slice(start, _reader.Position);
    }

    private readonly string Snippet()
    {
        var rest = _reader.UnreadSequence;
        return ImapChars.Printable(Encoding.Latin1.GetString(rest.Slice(0, Math.Min(rest.Length, 20))));
    }
}
