using System.Text;
using Mailstead.Protocols.Imap.Body;
using Mailstead.Core.Mime;

namespace Mailstead.Protocols.Tests.Mime;

public class DecodingTests
{
    [Theory]
    [InlineData("=?utf-8?b?w6lsw6k=?= =?utf-8?q?_caf=C3=A9?= and =?shift_jis?b?k/qWe4zq?=", "élé café and 日本語")]
    [InlineData("=?iso-8859-1?q?Andr=E9?= Pirard", "André Pirard")]
    [InlineData("=?koi8-r?b?8NLJ18XU?=", "Привет")]
    [InlineData("=?windows-1251?q?=CF=F0=E8=E2=E5=F2?=", "Привет")]
    [InlineData("=?iso-8859-2?q?=BF=F3=B3w?=", "żółw")]
    [InlineData("=?gb2312?b?1tDOxA==?=", "中文")]
    [InlineData("=?big5?b?pKSk5Q==?=", "中文")]
    [InlineData("=?euc-kr?b?x9Gx2w==?=", "한글")]
    [InlineData("=?UTF-8*en?Q?Hi?=", "Hi")]
    [InlineData("=?utf-8?b?4oK=?= =?utf-8?b?rA==?=", "€")]
    [InlineData("plain text", "plain text")]
    [InlineData("=?x-unknown?q?caf=C3=A9?=", "café")]
    [InlineData("=?utf-8?q?broken", "=?utf-8?q?broken")]
    [InlineData("a =?utf-8?q?x?= b", "a x b")]
    [InlineData("=?=?utf-8?q?ok?=", "=?ok")]
    public void EncodedWordsDecodeAcrossCharsets(string encoded, string decoded) =>
        Assert.Equal(decoded, EncodedWords.Decode(encoded));

    [Fact]
    public void QuotedPrintableForgivesBadEscapesAndDropsTrailingPadding()
    {
        var decoded = TransferDecoder.DecodeQuotedPrintable("a=3Db =ZZ soft=\r\nbreak   \r\nend="u8);

        Assert.Equal("a=b =ZZ softbreak\r\nend", Encoding.ASCII.GetString(decoded));
    }

    [Fact]
    public void Base64IgnoresJunkAndDecodesAMissingPadding()
    {
        Assert.Equal("Hello, world!", Encoding.ASCII.GetString(TransferDecoder.DecodeBase64("SGVs bG8s\r\nIHdv*cmxkIQ"u8)));
        Assert.Equal("ab", Encoding.ASCII.GetString(TransferDecoder.DecodeBase64("YQ==Yg=="u8)));
    }

    [Fact]
    public void AddressListReadsGroupsQuotedNamesAndBareLocalParts()
    {
        var list = AddressListParser.Parse("\"Doe, John\" <john@example.com>, Team: a@x.example, B <b@y.example>;, root, ,");

        Assert.Equal(3, list.Count);
        Assert.Equal(new MailboxAddress("Doe, John", null, "john", "example.com"), list[0]);
        var group = Assert.IsType<GroupAddress>(list[1]);
        Assert.Equal("Team", group.DisplayName);
        Assert.Equal([new MailboxAddress(null, null, "a", "x.example"), new MailboxAddress("B", null, "b", "y.example")], group.Members);
        Assert.Equal(new MailboxAddress(null, null, "root", ""), list[2]);
    }

    [Fact]
    public void ObsoleteSyntaxWithCommentsAndSpacedDotsIsRead()
    {
        var address = Assert.IsType<MailboxAddress>(Assert.Single(AddressListParser.Parse("John (the man) . Q . Public <john . q (x) @ example . com>")));

        Assert.Equal(new MailboxAddress("John . Q . Public", null, "john.q", "example.com"), address);
    }

    [Theory]
    [InlineData("", "\"\"")]
    [InlineData("abc", "\"abc\"")]
    [InlineData("a\"b\\c", "\"a\\\"b\\\\c\"")]
    [InlineData("line\r\nbreak", "{11}\r\nline\r\nbreak")]
    [InlineData("nul\0", "{4}\r\nnul\0")]
    [InlineData("é", "{2}\r\n\u00C3\u00A9")]
    public void StringsAreQuotedOnlyWhenSevenBitAndWithoutLineBreaks(string value, string expected) =>
        Assert.Equal(expected, TestMessages.Render(output => new ImapWriter(output).String(value)));

    [Theory]
    [InlineData("From", "From")]
    [InlineData("X-Spam]", "\"X-Spam]\"")]
    [InlineData("two words", "\"two words\"")]
    [InlineData("", "\"\"")]
    public void AStringsAreAtomsWhenTheyCanBe(string value, string expected) =>
        Assert.Equal(expected, TestMessages.Render(output => new ImapWriter(output).AString(value)));

    [Fact]
    public void NullNStringIsNil() =>
        Assert.Equal("NIL", TestMessages.Render(output => new ImapWriter(output).NString(null)));
}
