using System.Text;
using Mailstead.Core.Mail;

namespace Mailstead.Core.Tests.Mail;

/// <summary>The header fields a message list shows, read as the MIME parser reads every header.</summary>
public sealed class HeaderSummaryTests
{
    [Fact]
    public void Folded_and_encoded_fields_are_unfolded_and_decoded_and_the_date_comment_is_ignored()
    {
        var message = Encoding.ASCII.GetBytes(
            "Received: from a\r\n\tby b\r\nFrom: =?UTF-8?Q?Jos=C3=A9?= <jose@example.org>\r\nSubject: =?UTF-8?B?w4AgbGE=?=\r\n carte\r\n" +
            "Message-ID: <m1@example.org>\r\nDate: Tue, 1 Jul 2003 10:52:37 +0200 (CEST)\r\nSubject: second\r\n\r\nSubject: body\r\n");

        var summary = HeaderSummary.Read(message);

        Assert.Equal("À la carte", summary.Subject);
        Assert.Equal("José <jose@example.org>", summary.From);
        Assert.Equal("<m1@example.org>", summary.MessageId);
        Assert.Equal(new DateTime(2003, 7, 1, 8, 52, 37, DateTimeKind.Utc), summary.Date);
    }

    [Fact]
    public void Raw_utf8_and_latin1_subjects_both_survive_and_a_message_without_body_or_fields_gives_nulls()
    {
        Assert.Equal("Grüße", HeaderSummary.Read(Encoding.UTF8.GetBytes("Subject: Grüße\r\n\r\nx\r\n")).Subject);
        Assert.Equal("Grüße", HeaderSummary.Read(Encoding.Latin1.GetBytes("Subject: Grüße\n\nx\n")).Subject);

        var bare = HeaderSummary.Read(Encoding.ASCII.GetBytes("X-Only: field"));
        Assert.Equal((null, null, null, null), (bare.Subject, bare.From, bare.MessageId, bare.Date));
        Assert.Null(HeaderSummary.Read(Encoding.ASCII.GetBytes("Date: not a date\r\n\r\n")).Date);
    }
}
