using Mailstead.Protocols.Imap.Body;
using Mailstead.Core.Mime;

namespace Mailstead.Protocols.Tests.Mime;

public class ImapSectionsTests
{
    [Theory]
    [InlineData("", "")]
    [InlineData("header", "HEADER")]
    [InlineData("Text", "TEXT")]
    [InlineData("1", "1")]
    [InlineData("1.2.3", "1.2.3")]
    [InlineData("2.mime", "2.MIME")]
    [InlineData("2.1.HEADER", "2.1.HEADER")]
    [InlineData("header.fields (From To)", "HEADER.FIELDS (From To)")]
    [InlineData("1.HEADER.FIELDS.NOT (\"Received\" X-Spam)", "1.HEADER.FIELDS.NOT (Received X-Spam)")]
    public void ValidSectionSpecsParseCaseInsensitivelyAndEchoCanonically(string spec, string canonical)
    {
        Assert.True(ImapSections.TryParse(spec, out var section));
        Assert.Equal(canonical, section.ToString());
    }

    [Theory]
    [InlineData("MIME")]
    [InlineData("0")]
    [InlineData("01")]
    [InlineData("1.")]
    [InlineData("1..2")]
    [InlineData("1.BOGUS")]
    [InlineData("HEADER.FIELDS")]
    [InlineData("HEADER.FIELDS ()")]
    [InlineData("HEADER.FIELDS (From")]
    [InlineData("HEADER.FIELDS (From  To)")]
    [InlineData("99999999999")]
    [InlineData("TEXT ")]
    public void InvalidSectionSpecsAreRejected(string spec) => Assert.False(ImapSections.TryParse(spec, out _));

    [Fact]
    public void EmptySectionIsTheWholeMessage()
    {
        var message = TestMessages.Parse("forwarded.eml");

        Assert.Equal(TestMessages.Latin1(message.Raw.Span), TestMessages.Section(message, ""));
    }

    [Fact]
    public void HeaderIncludesTheBlankLineAndTextIsTheRest()
    {
        var message = TestMessages.Parse("plain.eml");

        var header = TestMessages.Section(message, "HEADER");
        Assert.EndsWith("Message-ID: <1234@example.com>\r\n\r\n", header, StringComparison.Ordinal);
        Assert.Equal(TestMessages.Latin1(message.Raw.Span), header + TestMessages.Section(message, "TEXT"));
    }

    [Fact]
    public void NonMultipartMessageHasOnlyPartOneWhichIsItsBody()
    {
        var message = TestMessages.Parse("plain.eml");

        Assert.Equal("Hi Mary,\r\njust a test.\r\n", TestMessages.Section(message, "1"));
        Assert.Equal(TestMessages.Section(message, "HEADER"), TestMessages.Section(message, "1.MIME"));
        Assert.Equal("", TestMessages.Section(message, "2"));
        Assert.Equal("", TestMessages.Section(message, "1.1"));
    }

    [Fact]
    public void PartNumbersReachIntoMultipartsAndEmbeddedMessages()
    {
        var message = TestMessages.Parse("forwarded.eml");

        Assert.Equal("See below.", TestMessages.Section(message, "1"));
        Assert.Equal("Content-Type: text/plain\r\n\r\n", TestMessages.Section(message, "1.MIME"));
        Assert.StartsWith("Date: Thu, 05 Nov 2026 18:00:00 +0000\r\n", TestMessages.Section(message, "2"), StringComparison.Ordinal);
        Assert.Equal(324, TestMessages.Section(message, "2").Length);
        Assert.Equal("Lunch tomorrow?", TestMessages.Section(message, "2.1"));
        Assert.Equal("Content-Type: text/html\r\n\r\n", TestMessages.Section(message, "2.2.MIME"));
        Assert.Equal("<b>Lunch tomorrow?</b>", TestMessages.Section(message, "2.2"));
    }

    [Fact]
    public void HeaderAndTextOfAMessageRfc822PartAreThoseOfTheEmbeddedMessage()
    {
        var message = TestMessages.Parse("forwarded.eml");

        var header = TestMessages.Section(message, "2.HEADER");
        Assert.StartsWith("Date: Thu, 05 Nov 2026 18:00:00 +0000\r\n", header, StringComparison.Ordinal);
        Assert.EndsWith("boundary=\"inner\"\r\n\r\n", header, StringComparison.Ordinal);
        Assert.Equal(TestMessages.Section(message, "2"), header + TestMessages.Section(message, "2.TEXT"));
    }

    [Fact]
    public void HeaderAndTextOfANonMessagePartAreEmpty()
    {
        var message = TestMessages.Parse("forwarded.eml");

        Assert.Equal("", TestMessages.Section(message, "1.HEADER"));
        Assert.Equal("", TestMessages.Section(message, "1.TEXT"));
        Assert.Equal("", TestMessages.Section(message, "3"));
        Assert.Equal("", TestMessages.Section(message, "2.3"));
    }

    [Fact]
    public void HeaderFieldsKeepsMessageOrderAndTheBlankLine()
    {
        var message = TestMessages.Parse("forwarded.eml");

        Assert.Equal("From: bob@example.org\r\nSubject: Fwd: Lunch\r\n\r\n", TestMessages.Section(message, "HEADER.FIELDS (subject FROM)"));
        Assert.Equal("\r\n", TestMessages.Section(message, "HEADER.FIELDS (X-Absent)"));
        Assert.Equal(
            "From: Carol <carol@example.org>\r\nSubject: Lunch\r\n\r\n",
            TestMessages.Section(message, "2.HEADER.FIELDS.NOT (Date To Message-ID Content-Type)"));
    }

    [Fact]
    public void HeaderFieldsKeepFoldedLinesWhole()
    {
        var message = TestMessages.Parse("nested-mixed.eml");

        Assert.Equal(
            "Content-Type: multipart/mixed;\r\n boundary=\"outer\"\r\n\r\n",
            TestMessages.Section(message, "HEADER.FIELDS (Content-Type)"));
    }

    [Fact]
    public void MessageWithoutBodyOrBlankLineGetsNoBlankLineAdded()
    {
        var message = TestMessages.Parse("header-only.eml");

        Assert.Equal("Subject: Nothing else", TestMessages.Section(message, "HEADER.FIELDS (Subject)"));
        Assert.Equal("", TestMessages.Section(message, "TEXT"));
    }

    [Fact]
    public void PartialFetchCutsAfterSubsettingAndStopsAtTheEnd()
    {
        var message = TestMessages.Parse("forwarded.eml");

        Assert.Equal("--fwd\r\n", TestMessages.Section(message, "TEXT", new ImapPartial(0, 7)));
        Assert.Equal("Lunch", TestMessages.Section(message, "2.1", new ImapPartial(0, 5)));
        Assert.Equal("tomorrow?", TestMessages.Section(message, "2.1", new ImapPartial(6, 100)));
        Assert.Equal("", TestMessages.Section(message, "2.1", new ImapPartial(1000, 10)));
        Assert.Equal("Subject", TestMessages.Section(message, "HEADER.FIELDS (Subject)", new ImapPartial(0, 7)));
    }

    [Fact]
    public void LfOnlyPartsAreServedByteExact()
    {
        var message = TestMessages.Parse("lf-only.eml");

        Assert.Equal("second\nline", TestMessages.Section(message, "2"));
        Assert.Equal("Content-Type: text/plain\n\n", TestMessages.Section(message, "2.MIME"));
    }

    [Fact]
    public void DeepPartNumbersPastTheDepthLimitAreEmpty()
    {
        var message = MimeMessage.Parse(MimeParserTests.DeeplyNested(40));
        var path = string.Join('.', Enumerable.Repeat("1", 32));

        Assert.StartsWith("--b32\r\n", TestMessages.Section(message, path), StringComparison.Ordinal);
        Assert.Equal("", TestMessages.Section(message, path + ".1"));
    }
}
