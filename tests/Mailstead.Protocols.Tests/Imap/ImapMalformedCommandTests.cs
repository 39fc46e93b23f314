using System.Text;
using Mailstead.Protocols.Imap.Commands;
using static Mailstead.Protocols.Tests.Imap.ImapParse;

namespace Mailstead.Protocols.Tests.Imap;

public class ImapMalformedCommandTests
{
    [Theory]
    [InlineData("", "Empty command line")]
    [InlineData("NOOP", "Command must start with a tag and a space")]
    [InlineData("+tag NOOP", "Command must start with a tag and a space")]
    [InlineData("a{b NOOP", "Command must start with a tag and a space")]
    [InlineData(" NOOP", "Command must start with a tag and a space")]
    public void A_line_without_a_valid_tag_gets_an_untagged_bad(string line, string message)
    {
        var rejection = Rejection(line);

        Assert.Equal((ImapRejectReason.InvalidTag, null, message), (rejection.Reason, rejection.Tag, rejection.Message));
    }

    [Theory]
    [InlineData("a1 FROB", nameof(ImapRejectReason.UnknownCommand), "Unknown command FROB")]
    [InlineData("a1 UID NOOP", nameof(ImapRejectReason.UnknownCommand), "UID NOOP is not a UID command")]
    [InlineData("a1 NOOP now", nameof(ImapRejectReason.SyntaxError), "Expected the end of the command at \" now\"")]
    [InlineData("a1  NOOP", nameof(ImapRejectReason.SyntaxError), "Expected a command name at \" NOOP\"")]
    [InlineData("a1 LOGIN fred", nameof(ImapRejectReason.SyntaxError), "Unexpected end of command: expected a space")]
    [InlineData("a1 LOGIN fred  secret", nameof(ImapRejectReason.SyntaxError), "Expected a password at \" secret\"")]
    [InlineData("a1 SELECT", nameof(ImapRejectReason.SyntaxError), "Unexpected end of command: expected a space")]
    [InlineData("a1 SELECT INBOX (FOO)", nameof(ImapRejectReason.SyntaxError), "Expected CONDSTORE or QRESYNC at \"FOO)\"")]
    [InlineData("a1 SELECT INBOX (QRESYNC (1 2 1:*))", nameof(ImapRejectReason.SyntaxError), "Expected a message number at \"*))\"")]
    [InlineData("a1 FETCH 0 FLAGS", nameof(ImapRejectReason.NumberOutOfRange), "Expected a message number or *, not 0")]
    [InlineData("a1 FETCH 1:4294967296 FLAGS", nameof(ImapRejectReason.NumberOutOfRange), "Number out of range: a message number or *")]
    [InlineData("a1 FETCH $,1 FLAGS", nameof(ImapRejectReason.SyntaxError), "Expected a space at \",1 FLAGS\"")]
    [InlineData("a1 SELECT INBOX (QRESYNC (1 2 $))", nameof(ImapRejectReason.SyntaxError), "Expected a message number at \"$))\"")]
    [InlineData("a1 FETCH 1 (FLAGS BODY.PEEK)", nameof(ImapRejectReason.SyntaxError), "Expected \"[\" at \")\"")]
    [InlineData("a1 FETCH 1 (FLAGS RFC822.SIZ)", nameof(ImapRejectReason.SyntaxError), "Unknown fetch item RFC822.SIZ")]
    [InlineData("a1 FETCH 1 BODY[]<10.0>", nameof(ImapRejectReason.NumberOutOfRange), "Partial length must not be 0")]
    [InlineData("a1 FETCH 1 BINARY[1.0]", nameof(ImapRejectReason.NumberOutOfRange), "Expected a body part number, not 0")]
    [InlineData("a1 FETCH 1 (FLAGS", nameof(ImapRejectReason.SyntaxError), "Unexpected end of command: expected \")\" closing the fetch items")]
    [InlineData("a1 STORE 1 FLAGS (\\Recent)", nameof(ImapRejectReason.SyntaxError), "\\Recent cannot be set by a client")]
    [InlineData("a1 STORE 1 FLAG (\\Seen)", nameof(ImapRejectReason.SyntaxError), "Expected FLAGS, +FLAGS or -FLAGS at \"FLAG (\\Seen)\"")]
    [InlineData("a1 SEARCH", nameof(ImapRejectReason.SyntaxError), "Unexpected end of command: expected a space")]
    [InlineData("a1 SEARCH FROB", nameof(ImapRejectReason.SyntaxError), "Unknown search key FROB")]
    [InlineData("a1 SEARCH (ALL", nameof(ImapRejectReason.SyntaxError), "Unexpected end of command: expected \")\" closing the search keys")]
    [InlineData("a1 SEARCH OR ALL", nameof(ImapRejectReason.SyntaxError), "Unexpected end of command: expected a space")]
    [InlineData("a1 SEARCH SINCE 31-Feb-2024", nameof(ImapRejectReason.InvalidDate), "No such date")]
    [InlineData("a1 SEARCH SINCE 1-Foo-2024", nameof(ImapRejectReason.SyntaxError), "Expected a month such as Jan at \"Foo-2024\"")]
    [InlineData("a1 SEARCH CHARSET KOI8-R SUBJECT x", nameof(ImapRejectReason.UnsupportedCharset), "Charset KOI8-R is not supported")]
    [InlineData("a1 SEARCH RETURN (SAVE FIRST) ALL", nameof(ImapRejectReason.SyntaxError), "Unknown return option FIRST")]
    [InlineData("a1 APPEND INBOX (\\Seen) \"24-Nov-2026 25:00:00 +0000\" {1}\r\nx", nameof(ImapRejectReason.InvalidDate), "No such date-time")]
    [InlineData("a1 APPEND INBOX (\\Seen)", nameof(ImapRejectReason.SyntaxError), "Unexpected end of command: expected a space")]
    [InlineData("a1 APPEND INBOX", nameof(ImapRejectReason.SyntaxError), "Unexpected end of command: expected a message literal")]
    [InlineData("a1 APPEND INBOX {10}\r\nshort", nameof(ImapRejectReason.SyntaxError), "Literal is shorter than announced")]
    [InlineData("a1 STATUS INBOX (MESSAGES BOGUS)", nameof(ImapRejectReason.SyntaxError), "Unknown status item BOGUS")]
    [InlineData("a1 LIST (RECURSIVEMATCH) \"\" *", nameof(ImapRejectReason.SyntaxError), "RECURSIVEMATCH needs SUBSCRIBED (RFC 5258 section 3.1)")]
    [InlineData("a1 LIST \"\" * RETURN (FANCY)", nameof(ImapRejectReason.SyntaxError), "Unknown return option FANCY")]
    [InlineData("a1 CREATE x (USE \\Drafts)", nameof(ImapRejectReason.SyntaxError), "Expected \"(\" opening the special-use list at \"\\Drafts)\"")]
    [InlineData("a1 AUTHENTICATE PLAIN AHVzZXIAcGFzcw", nameof(ImapRejectReason.SyntaxError), "Initial response is not valid base64")]
    [InlineData("a1 ENABLE", nameof(ImapRejectReason.SyntaxError), "Unexpected end of command: expected a space")]
    [InlineData("a1 ID (\"name\")", nameof(ImapRejectReason.SyntaxError), "Expected a space at \")\"")]
    [InlineData("a1 UID EXPUNGE", nameof(ImapRejectReason.SyntaxError), "Unexpected end of command: expected a space")]
    [InlineData("a1 SEARCH FROM José", nameof(ImapRejectReason.SyntaxError), "Expected the end of the command at \"\\xC3\\xA9\"; 8-bit text is allowed only in a literal ({size} and the bytes)")]
    [InlineData("a1 NOOP \"x\"", nameof(ImapRejectReason.SyntaxError), "Expected the end of the command at \" \\x22x\\x22\"")]
    public void A_malformed_command_gets_a_tagged_bad_with_a_readable_message(string line, string reason, string message)
    {
        var rejection = Rejection(line);

        Assert.Equal(("a1", reason, message), (rejection.Tag, rejection.Reason.ToString(), rejection.Message));
    }

    [Theory]
    [InlineData("a LOGIN \"fr\\\"ed\" \"pa\\\\ss\"", "fr\"ed", "pa\\ss")]
    [InlineData("a LOGIN \"\" \"\"", "", "")]
    [InlineData("a LOGIN fred ]sec[ret", "fred", "]sec[ret")]
    public void Quoted_strings_unescape_backslash_and_quote(string line, string user, string password)
    {
        Assert.Equal(new LoginCommand("a", user, password), Command<LoginCommand>(line));
    }

    [Fact]
    public void Quoted_strings_allow_no_other_escape()
    {
        Assert.Equal("Only \\\\ and \\\" may be escaped in a quoted string", Rejection("a LOGIN \"fr\\ed\" x").Message);
    }

    [Theory]
    [InlineData("a LOGIN \"fr\0ed\" x", "NUL is not allowed in a quoted string")]
    [InlineData("a LOGIN fr\0ed x", "NUL is not allowed in commands")]
    [InlineData("a LOGIN fred \0", "NUL is not allowed in commands")]
    [InlineData("a\0 NOOP", "Command must start with a tag and a space")]
    [InlineData("a LOGIN {3}\r\nf\0d x", "NUL is not allowed in a literal (use literal8)")]
    public void Nul_is_rejected_everywhere_outside_literal8(string line, string message)
    {
        Assert.Equal(message, Rejection(line).Message);
    }

    [Fact]
    public void Eight_bit_text_in_quoted_strings_needs_utf8_accept_but_literals_carry_it()
    {
        Assert.Equal(ImapRejectReason.EightBitText, Rejection("a LOGIN \"jürgen\" x").Reason);
        Assert.Equal("jürgen", Command<LoginCommand>("a LOGIN \"jürgen\" x", utf8: true).UserName);
        Assert.Equal("jürgen", Command<LoginCommand>("a LOGIN {7}\r\njürgen x").UserName);
        Assert.Equal(ImapRejectReason.InvalidUtf8, Rejection(Encoding.Latin1.GetBytes("a LOGIN {6}\r\njürgen x")).Reason);
    }

    [Theory]
    [InlineData("&Jjo!")]
    [InlineData("&AGE-")]
    [InlineData("&U,BTFw-&ZeVnLIqe-")]
    [InlineData("&U,B-")]
    [InlineData("&2D0-")]
    [InlineData("caf\u00e9")]
    public void Invalid_modified_utf7_mailbox_names_are_rejected(string name)
    {
        var rejection = Rejection($"a SELECT \"{name}\"", utf8: false);

        Assert.Contains(rejection.Reason, new[] { ImapRejectReason.InvalidMailboxName, ImapRejectReason.EightBitText });
    }

    [Fact]
    public void Deeply_nested_search_keys_are_refused_before_the_stack_is()
    {
        var nots = Rejection("a SEARCH " + string.Concat(Enumerable.Repeat("NOT ", 10_000)) + "ALL");
        var parentheses = Rejection("a SEARCH " + new string('(', 10_000) + "ALL" + new string(')', 10_000));

        Assert.Equal(ImapRejectReason.TooDeeplyNested, nots.Reason);
        Assert.Equal(ImapRejectReason.TooDeeplyNested, parentheses.Reason);
        Assert.Equal("Nesting deeper than 32 levels", parentheses.Message);
    }

    [Fact]
    public void Rejection_messages_echo_only_printable_ascii()
    {
        var rejection = Rejection(Encoding.UTF8.GetBytes("a1 SEARCH \"x\u0001\" \x7f\"ü"));

        Assert.All(rejection.Message, c => Assert.InRange(c, ' ', '~'));
    }
}
