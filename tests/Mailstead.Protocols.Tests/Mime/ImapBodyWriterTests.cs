using Mailstead.Core.Mime;

namespace Mailstead.Protocols.Tests.Mime;

// Expected strings follow the RFC 3501 §9 grammar ("envelope", "body") and the
// shapes Dovecot answers with: case as in the message, defaults in lower case,
// all four extension fields present in BODYSTRUCTURE.
public class ImapBodyWriterTests
{
    private const string TextPlainDefault = "\"text\" \"plain\" (\"charset\" \"us-ascii\") NIL NIL \"7bit\"";

    [Fact]
    public void PlainMessageEnvelopeDefaultsSenderAndReplyToToFrom()
    {
        var root = TestMessages.Parse("plain.eml").Root;

        const string from = "((\"Doe, John\" NIL \"john.doe\" \"example.com\"))";
        Assert.Equal(
            "(\"Tue, 03 Nov 2026 10:00:00 +0100\" \"Hello\" " + from + " " + from + " " + from
            + " ((\"Mary Smith\" NIL \"mary\" \"example.net\")(NIL NIL \"jdoe\" \"example.org\")) NIL NIL NIL \"<1234@example.com>\")",
            TestMessages.Envelope(root));
    }

    [Fact]
    public void PlainMessageBodyStructureIsTextPlainWithDefaults()
    {
        var root = TestMessages.Parse("plain.eml").Root;

        Assert.Equal("(" + TextPlainDefault + " 24 2 NIL NIL NIL NIL)", TestMessages.BodyStructure(root));
        Assert.Equal("(" + TextPlainDefault + " 24 2)", TestMessages.BodyStructure(root, extensible: false));
    }

    [Fact]
    public void AlternativeBodyStructureListsBothPartsThenSubtypeAndParameters()
    {
        var root = TestMessages.Parse("alternative.eml").Root;

        Assert.Equal(
            "((\"text\" \"plain\" (\"charset\" \"utf-8\") NIL NIL \"quoted-printable\" 50 1 NIL NIL NIL NIL)"
            + "(\"text\" \"html\" (\"charset\" \"utf-8\") NIL NIL \"quoted-printable\" 55 1 NIL NIL NIL NIL)"
            + " \"alternative\" (\"boundary\" \"alt-1\") NIL NIL NIL)",
            TestMessages.BodyStructure(root));
        Assert.Equal(
            "((\"text\" \"plain\" (\"charset\" \"utf-8\") NIL NIL \"quoted-printable\" 50 1)"
            + "(\"text\" \"html\" (\"charset\" \"utf-8\") NIL NIL \"quoted-printable\" 55 1) \"alternative\")",
            TestMessages.BodyStructure(root, extensible: false));
    }

    [Fact]
    public void ReplyToReplacesFromButSenderStillDefaults()
    {
        var envelope = TestMessages.Envelope(TestMessages.Parse("alternative.eml").Root);

        Assert.Equal(
            "(\"Wed, 04 Nov 2026 08:30:00 +0000\" \"Your order\" ((\"Newsletter\" NIL \"news\" \"shop.example\"))"
            + " ((\"Newsletter\" NIL \"news\" \"shop.example\")) ((NIL NIL \"support\" \"shop.example\"))"
            + " ((NIL NIL \"customer\" \"example.net\")) NIL NIL NIL NIL)",
            envelope);
    }

    [Fact]
    public void NestedMixedBodyStructureCarriesDispositionLanguageIdAndLocation()
    {
        var root = TestMessages.Parse("nested-mixed.eml").Root;

        Assert.Equal(
            "(((\"text\" \"plain\" (\"charset\" \"us-ascii\") NIL NIL \"7bit\" 15 1 NIL NIL NIL NIL)"
            + "(\"text\" \"html\" (\"charset\" \"us-ascii\") NIL NIL \"7bit\" 55 1 NIL NIL NIL NIL)"
            + " \"alternative\" (\"boundary\" \"inner\") NIL NIL NIL)"
            + "(\"application\" \"pdf\" (\"name\" \"report.pdf\") NIL \"Quarterly report\" \"base64\" 364"
            + " NIL (\"attachment\" (\"filename\" \"report.pdf\")) (\"en\" \"de\") NIL)"
            + "(\"image\" \"png\" NIL \"<logo@example.com>\" NIL \"base64\" 64"
            + " NIL (\"inline\" NIL) NIL \"http://example.com/logo.png\")"
            + " \"mixed\" (\"boundary\" \"outer\") NIL NIL NIL)",
            TestMessages.BodyStructure(root));
    }

    [Fact]
    public void GroupsAreWrittenWithStartAndEndMarkers()
    {
        var envelope = TestMessages.Envelope(TestMessages.Parse("nested-mixed.eml").Root);

        Assert.Equal(
            "(\"Thu, 05 Nov 2026 12:00:00 -0500\" \"Report\" ((\"Alice\" NIL \"alice\" \"example.com\"))"
            + " ((\"Secretary\" NIL \"secretary\" \"example.com\")) ((\"Alice\" NIL \"alice\" \"example.com\"))"
            + " ((\"Bob\" NIL \"bob\" \"example.org\"))"
            + " ((NIL NIL \"Team\" NIL)(NIL NIL \"carol\" \"example.org\")(\"Dave\" NIL \"dave\" \"example.org\")(NIL NIL NIL NIL)"
            + "(NIL NIL \"eve\" \"example.org\"))"
            + " NIL \"<prev@example.org>\" \"<report-1@example.com>\")",
            envelope);
    }

    [Fact]
    public void MessageRfc822PartHasEnvelopeBodyAndLines()
    {
        var root = TestMessages.Parse("forwarded.eml").Root;

        const string embeddedEnvelope =
            "(\"Thu, 05 Nov 2026 18:00:00 +0000\" \"Lunch\" ((\"Carol\" NIL \"carol\" \"example.org\"))"
            + " ((\"Carol\" NIL \"carol\" \"example.org\")) ((\"Carol\" NIL \"carol\" \"example.org\"))"
            + " ((NIL NIL \"bob\" \"example.org\")) NIL NIL NIL \"<lunch@example.org>\")";
        Assert.Equal(
            "((\"text\" \"plain\" (\"charset\" \"us-ascii\") NIL NIL \"7bit\" 10 1 NIL NIL NIL NIL)"
            + "(\"message\" \"rfc822\" NIL NIL NIL \"7bit\" 324 " + embeddedEnvelope
            + " ((\"text\" \"plain\" (\"charset\" \"us-ascii\") NIL NIL \"7bit\" 15 1 NIL NIL NIL NIL)"
            + "(\"text\" \"html\" (\"charset\" \"us-ascii\") NIL NIL \"7bit\" 22 1 NIL NIL NIL NIL)"
            + " \"alternative\" (\"boundary\" \"inner\") NIL NIL NIL) 16 NIL NIL NIL NIL)"
            + " \"mixed\" (\"boundary\" \"fwd\") NIL NIL NIL)",
            TestMessages.BodyStructure(root));
    }

    [Fact]
    public void Rfc2231ParametersAreHandedOnAsSevenBitExtendedValues()
    {
        var root = TestMessages.Parse("rfc2231.eml").Root;

        Assert.Equal(
            "((\"application\" \"octet-stream\" (\"name*\" \"utf-8''%E2%82%AC%20price%20list.txt\") NIL NIL \"base64\" 8"
            + " NIL (\"attachment\" (\"filename\" \"long name continued.txt\")) NIL NIL)"
            + "(\"text\" \"plain\" (\"charset\" \"iso-8859-1\" \"title*\" \"iso-8859-1'fr'caf%E9\") NIL NIL \"7bit\" 4 1"
            + " NIL (\"attachment\" (\"filename*\" \"iso-8859-1''r%E9sum%E9.txt\")) NIL NIL)"
            + " \"mixed\" (\"boundary\" \"b1\") NIL NIL NIL)",
            TestMessages.BodyStructure(root));
    }

    [Fact]
    public void EncodedWordsStayEncodedInTheEnvelope()
    {
        var envelope = TestMessages.Envelope(TestMessages.Parse("encoded-words.eml").Root);

        Assert.Equal(
            "(\"Sat, 07 Nov 2026 10:00:00 +0000\" \"=?utf-8?b?w6lsw6k=?= =?utf-8?q?_caf=C3=A9?= and =?shift_jis?b?k/qWe4zq?=\""
            + " ((\"=?iso-8859-1?q?Andr=E9?= Pirard\" NIL \"pirard\" \"example.be\"))"
            + " ((\"=?iso-8859-1?q?Andr=E9?= Pirard\" NIL \"pirard\" \"example.be\"))"
            + " ((\"=?iso-8859-1?q?Andr=E9?= Pirard\" NIL \"pirard\" \"example.be\"))"
            + " ((\"=?koi8-r?b?8NLJ18XU?=\" NIL \"ivan\" \"example.ru\")) NIL NIL NIL NIL)",
            envelope);
    }

    [Fact]
    public void AbsentFieldsAreNilAndEmptyOnesAreEmptyStrings()
    {
        var root = MimeMessage.Parse("Subject:\r\nFrom:\r\nSender: s@example.com\r\nTo: undisclosed-recipients:;\r\n\r\n"u8.ToArray()).Root;

        Assert.Equal(
            "(NIL \"\" NIL ((NIL NIL \"s\" \"example.com\")) NIL ((NIL NIL \"undisclosed-recipients\" NIL)(NIL NIL NIL NIL)) NIL NIL NIL NIL)",
            TestMessages.Envelope(root));
    }

    [Fact]
    public void EightBitAndLineBreakingStringsAreWrittenAsLiterals()
    {
        byte[] raw = [.. "Subject: caf"u8, 0xC3, 0xA9, .. " \"quoted\" \\\r\n\r\n"u8];

        var envelope = TestMessages.Envelope(MimeMessage.Parse(raw).Root);

        Assert.StartsWith("(NIL {16}\r\ncaf\u00C3\u00A9 \"quoted\" \\ NIL", envelope, StringComparison.Ordinal);
    }

    [Fact]
    public void SpecialsInQuotedStringsAreEscaped()
    {
        var envelope = TestMessages.Envelope(MimeMessage.Parse("Subject: say \"hi\" \\o/\r\n\r\n"u8.ToArray()).Root);

        Assert.StartsWith("(NIL \"say \\\"hi\\\" \\\\o/\" NIL", envelope, StringComparison.Ordinal);
    }

    [Fact]
    public void RouteAndCommentNameAndDomainLiteralFillTheAddressStructure()
    {
        var root = MimeMessage.Parse("From: Joe <@relay1.example,@relay2.example:joe@example.com>, pete@[192.0.2.1] (Pete Smith), \"odd local\"@example.org\r\n\r\n"u8.ToArray()).Root;

        Assert.Contains(
            "((\"Joe\" \"@relay1.example,@relay2.example\" \"joe\" \"example.com\")(\"Pete Smith\" NIL \"pete\" \"[192.0.2.1]\")(NIL NIL \"odd local\" \"example.org\"))",
            TestMessages.Envelope(root),
            StringComparison.Ordinal);
    }

    [Fact]
    public void CompositeTypeBeyondTheDepthLimitIsWrittenAsApplicationOctetStream()
    {
        var structure = TestMessages.BodyStructure(MimeMessage.Parse(MimeParserTests.DeeplyNested(40)).Root);

        Assert.Contains("(\"application\" \"octet-stream\" (\"boundary\" \"b32\") NIL NIL \"7bit\"", structure, StringComparison.Ordinal);
        Assert.Equal(32, structure.Split(" \"mixed\" ").Length - 1);
    }
}
