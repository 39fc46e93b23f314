using System.Text;
using Mailstead.Core.Mime;

namespace Mailstead.Protocols.Tests.Mime;

public class MimeParserTests
{
    [Fact]
    public void PlainMessageIsOneLeafWithTheDefaultContentType()
    {
        var root = TestMessages.Parse("plain.eml").Root;

        Assert.Equal(MimeEntityKind.Leaf, root.Kind);
        Assert.Equal("text", root.ContentType.MediaType);
        Assert.Equal("us-ascii", root.ContentType.Charset);
        Assert.Equal("7bit", root.TransferEncoding);
        Assert.Equal("Hi Mary,\r\njust a test.\r\n", TestMessages.Latin1(root.BodyBytes.Span));
        Assert.Equal(2, root.BodyLines);
        Assert.Equal(MimeDefects.None, root.Defects);
    }

    [Fact]
    public void HeaderAndBodyRangesCoverTheWholeMessage()
    {
        var message = TestMessages.Parse("plain.eml");
        var root = message.Root;

        Assert.Equal(0, root.Header.Start);
        Assert.Equal(root.Header.End, root.Body.Start);
        Assert.Equal(message.Raw.Length, root.Body.End);
        Assert.Equal("\r\n", TestMessages.Latin1(message.Raw.Span.Slice(root.Separator.Start, root.Separator.Length)));
    }

    [Fact]
    public void FoldedFieldIsUnfoldedButKeepsItsRawValue()
    {
        var root = TestMessages.Parse("nested-mixed.eml").Root;
        var contentType = root.Field("content-type")!;

        Assert.Equal("multipart/mixed; boundary=\"outer\"", contentType.Value);
        Assert.Equal(" multipart/mixed;\r\n boundary=\"outer\"", Encoding.ASCII.GetString(contentType.RawValue.Span));
        Assert.Equal("outer", root.ContentType.Boundary);
    }

    [Fact]
    public void NestedMultipartGivesPartsInOrderWithBodiesBeforeTheDelimiterLineBreak()
    {
        var root = TestMessages.Parse("nested-mixed.eml").Root;

        Assert.Equal(MimeEntityKind.Multipart, root.Kind);
        Assert.Equal(3, root.Children.Count);
        var alternative = root.Children[0];
        Assert.True(alternative.ContentType.Is("multipart", "alternative"));
        Assert.Equal("See the report.", TestMessages.Latin1(alternative.Children[0].BodyBytes.Span));
        var pdf = root.Children[1];
        Assert.Equal("report.pdf", pdf.ContentDisposition!.FileName);
        Assert.Equal(["en", "de"], pdf.ContentLanguage);
        Assert.StartsWith("%PDF-1.4\n", Encoding.Latin1.GetString(pdf.DecodeContent()), StringComparison.Ordinal);
        Assert.Equal(9 + 256, pdf.DecodeContent().Length);
        Assert.Equal("<logo@example.com>", root.Children[2].ContentId);
        Assert.Equal("http://example.com/logo.png", root.Children[2].ContentLocation);
    }

    [Fact]
    public void MessageRfc822PartHasTheEmbeddedMessageAsItsOnlyChild()
    {
        var forwarded = TestMessages.Parse("forwarded.eml").Root.Children[1];

        Assert.Equal(MimeEntityKind.Message, forwarded.Kind);
        var embedded = Assert.Single(forwarded.Children);
        Assert.Equal("Lunch", embedded.Field("Subject")!.Value);
        Assert.Equal(MimeEntityKind.Multipart, embedded.Kind);
        Assert.Equal(forwarded.Body, new ByteRange(embedded.Header.Start, embedded.Body.End - embedded.Header.Start));
    }

    [Fact]
    public void DigestPartsDefaultToMessageRfc822()
    {
        var raw = "Content-Type: multipart/digest; boundary=d\r\n\r\n--d\r\n\r\nSubject: one\r\n\r\nfirst\r\n--d--\r\n"u8.ToArray();

        var part = MimeMessage.Parse(raw).Root.Children[0];

        Assert.True(part.ContentType.IsMessageRfc822);
        Assert.Equal("one", part.Message!.Field("Subject")!.Value);
    }

    [Fact]
    public void LooseModeReadsLfOnlyLineEndings()
    {
        var root = TestMessages.Parse("lf-only.eml").Root;

        Assert.Equal(MimeEntityKind.Multipart, root.Kind);
        Assert.Equal("first", TestMessages.Latin1(root.Children[0].BodyBytes.Span));
        Assert.Equal("second\nline", TestMessages.Latin1(root.Children[1].BodyBytes.Span));
        Assert.Equal(2, root.Children[1].BodyLines);
    }

    [Fact]
    public void StrictModeEndsLinesOnlyAtCrLf()
    {
        var root = TestMessages.Parse("lf-only.eml", MimeParseMode.Strict).Root;

        Assert.Equal(MimeEntityKind.Leaf, root.Kind);
        Assert.Equal("From", Assert.Single(root.Fields).Name);
        Assert.Equal(0, root.Body.Length);
    }

    [Fact]
    public void MissingCloseDelimiterLetsTheLastPartRunToTheEnd()
    {
        var root = TestMessages.Parse("missing-end-boundary.eml").Root;

        Assert.Equal(2, root.Children.Count);
        Assert.Equal("one", TestMessages.Latin1(root.Children[0].BodyBytes.Span));
        Assert.Equal("two, never closed\r\n", TestMessages.Latin1(root.Children[1].BodyBytes.Span));
        Assert.True(root.Defects.HasFlag(MimeDefects.MissingCloseDelimiter));
    }

    [Fact]
    public void DelimiterWithTrailingWhitespaceIsStillADelimiter()
    {
        // "--cut \t" in missing-end-boundary.eml: RFC 2046 §5.1.1 transport padding.
        var root = TestMessages.Parse("missing-end-boundary.eml", MimeParseMode.Strict).Root;

        Assert.Equal(2, root.Children.Count);
    }

    [Fact]
    public void DelimiterWithOtherTextAfterItIsNotADelimiter()
    {
        var raw = "Content-Type: multipart/mixed; boundary=b\r\n\r\n--b\r\n\r\none\r\n--bx\r\nstill one\r\n--b--\r\n"u8.ToArray();

        var part = Assert.Single(MimeMessage.Parse(raw).Root.Children);

        Assert.Equal("one\r\n--bx\r\nstill one", TestMessages.Latin1(part.BodyBytes.Span));
    }

    [Fact]
    public void OuterBoundaryEndsAnUnclosedInnerMultipart()
    {
        var raw = Encoding.ASCII.GetBytes("Content-Type: multipart/mixed; boundary=outer\r\n\r\n"
            + "--outer\r\nContent-Type: multipart/mixed; boundary=inner\r\n\r\n--inner\r\n\r\ninner text\r\n"
            + "--outer\r\n\r\nsecond\r\n--outer--\r\n");

        var root = MimeMessage.Parse(raw).Root;

        Assert.Equal(2, root.Children.Count);
        Assert.Equal("inner text", TestMessages.Latin1(root.Children[0].Children[0].BodyBytes.Span));
        Assert.Equal("second", TestMessages.Latin1(root.Children[1].BodyBytes.Span));
    }

    [Fact]
    public void HeaderWithoutBodyOrBlankLineHasAnEmptyBody()
    {
        var message = TestMessages.Parse("header-only.eml");
        var root = message.Root;

        Assert.Equal(message.Raw.Length, root.Header.Length);
        Assert.Equal(0, root.Separator.Length);
        Assert.Equal(0, root.Body.Length);
        Assert.Equal("Nothing else", root.Field("Subject")!.Value);
    }

    [Fact]
    public void LooseModeSkipsAHeaderLineWithoutColonAndStrictModeStartsTheBodyThere()
    {
        var raw = "From a@example.com Sat Jan  1 00:00:00 2026\r\nSubject: hi\r\n\r\nbody\r\n"u8.ToArray();

        var loose = MimeMessage.Parse(raw, MimeParseMode.Loose).Root;
        var strict = MimeMessage.Parse(raw, MimeParseMode.Strict).Root;

        Assert.Equal("hi", loose.Field("Subject")!.Value);
        Assert.Equal("body\r\n", TestMessages.Latin1(loose.BodyBytes.Span));
        Assert.True(loose.Defects.HasFlag(MimeDefects.MalformedHeaderLine));
        Assert.Empty(strict.Fields);
        Assert.Equal(0, strict.Body.Start);
    }

    [Fact]
    public void EightBitHeaderBytesAreReadAsUtf8OrWindows1252()
    {
        byte[] raw = [.. "Subject: caf"u8, 0xC3, 0xA9, .. "\r\nX-Latin: caf"u8, 0xE9, .. "\r\n\r\n"u8];

        var root = MimeMessage.Parse(raw).Root;

        Assert.Equal("café", root.Field("Subject")!.Value);
        Assert.Equal("café", root.Field("X-Latin")!.Value);
    }

    [Fact]
    public void InvalidContentTypeFallsBackToTextPlain()
    {
        var root = MimeMessage.Parse("Content-Type: garbage\r\n\r\nx"u8.ToArray()).Root;

        Assert.True(root.ContentType.Is("text", "plain"));
        Assert.True(root.Defects.HasFlag(MimeDefects.InvalidContentType));
    }

    [Fact]
    public void MultipartWithoutBoundaryParameterIsALeaf()
    {
        var root = MimeMessage.Parse("Content-Type: multipart/mixed\r\n\r\n--x\r\n\r\ny\r\n"u8.ToArray()).Root;

        Assert.Equal(MimeEntityKind.Leaf, root.Kind);
        Assert.True(root.Defects.HasFlag(MimeDefects.MissingBoundaryParameter));
    }

    [Fact]
    public void NestingBeyondTheDepthLimitIsKeptAsAnOpaqueLeaf()
    {
        var root = MimeMessage.Parse(DeeplyNested(40)).Root;

        var depth = 0;
        var entity = root;
        while (entity.Kind == MimeEntityKind.Multipart)
        {
            entity = entity.Children[0];
            depth++;
        }

        Assert.Equal(MimeLimits.Default.MaxDepth, depth);
        Assert.True(entity.ContentType.IsMultipart);
        Assert.True(entity.Defects.HasFlag(MimeDefects.DepthLimitReached));
    }

    [Fact]
    public void EntityLimitTurnsTheRestOfTheBodyIntoOneLastPart()
    {
        var raw = new StringBuilder("Content-Type: multipart/mixed; boundary=b\r\n\r\n");
        for (var i = 0; i < 50; i++)
        {
            raw.Append("--b\r\n\r\npart ").Append(i).Append("\r\n");
        }

        var root = MimeMessage.Parse(Encoding.ASCII.GetBytes(raw.ToString()), MimeParseMode.Loose, new MimeLimits(MaxEntities: 10)).Root;

        Assert.Equal(9, root.Children.Count);
        Assert.StartsWith("part 8\r\n--b", TestMessages.Latin1(root.Children[^1].BodyBytes.Span), StringComparison.Ordinal);
        Assert.True(root.Defects.HasFlag(MimeDefects.EntityLimitReached));
    }

    [Fact]
    public void BrokenBase64StillDecodesWhatItCan()
    {
        var root = TestMessages.Parse("broken-base64.eml").Root;

        Assert.Equal("Hello, world!", root.DecodeText());
    }

    [Fact]
    public void QuotedPrintableTextPartDecodesWithItsCharset()
    {
        var text = TestMessages.Parse("alternative.eml").Root.Children[0];

        Assert.Equal("Thank you for your order – it ships today.", text.DecodeText());
    }

    [Fact]
    public void Rfc2231ContinuationsAndCharsetsAreJoinedAndDecoded()
    {
        var root = TestMessages.Parse("rfc2231.eml").Root;

        var first = root.Children[0];
        var name = Assert.Single(first.ContentType.Parameters);
        Assert.Equal(new MimeParameter("name", "€ price list.txt", "utf-8", null), name);
        Assert.Equal("long name continued.txt", first.ContentDisposition!.FileName);
        var second = root.Children[1];
        Assert.Equal("résumé.txt", second.ContentDisposition!.FileName);
        Assert.Equal(new MimeParameter("title", "café", "iso-8859-1", "fr"), second.ContentType.Parameters[1]);
        Assert.Equal("café", second.DecodeText());
    }

    internal static byte[] DeeplyNested(int levels)
    {
        var raw = new StringBuilder();
        for (var i = 0; i < levels; i++)
        {
            raw.Append("Content-Type: multipart/mixed; boundary=b").Append(i).Append("\r\n\r\n--b").Append(i).Append("\r\n");
        }

        raw.Append("Content-Type: text/plain\r\n\r\ndeep\r\n");
        for (var i = levels - 1; i >= 0; i--)
        {
            raw.Append("--b").Append(i).Append("--\r\n");
        }

        return Encoding.ASCII.GetBytes(raw.ToString());
    }
}
