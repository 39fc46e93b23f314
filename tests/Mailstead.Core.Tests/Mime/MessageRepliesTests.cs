using System.Text;
using Mailstead.Core.Mime;

namespace Mailstead.Core.Tests.Mime;

/// <summary>Reply, reply all and forward, as the webmail's compose form starts them.</summary>
public sealed class MessageRepliesTests
{
    private static MimeMessage Original(string header, string body = "Shall we meet at noon?\r\nBring the slides.\r\n") =>
        MimeMessage.Parse(Encoding.UTF8.GetBytes(header.ReplaceLineEndings("\r\n") + "\r\n\r\n" + body));

    private const string Thread = """
        From: =?utf-8?B?QW5uYSBCw7xyZ2Vy?= <anna@example.test>
        To: Zoe <ZOE@Example.test>, Bob <bob@example.test>
        Cc: carl@example.test, zoe@example.test, Bob <bob@example.test>
        Date: Tue, 3 Mar 2026 10:00:00 +0100
        Subject: Re: RE: Lunch
        Message-ID: <c@example.test>
        References: <a@example.test> <b@example.test>
        """;

    [Theory]
    [InlineData("Lunch", "Re: Lunch", "Fwd: Lunch")]
    [InlineData("Re: Lunch", "Re: Lunch", "Fwd: Re: Lunch")]
    [InlineData("RE: re:Lunch", "Re: Lunch", "Fwd: RE: re:Lunch")]
    [InlineData("AW: Lunch", "Re: Lunch", "Fwd: AW: Lunch")]
    [InlineData("Fwd: FW: Lunch", "Re: Fwd: FW: Lunch", "Fwd: Lunch")]
    [InlineData("", "Re: ", "Fwd: ")]
    public void Prefixes_do_not_stack(string subject, string reply, string forward)
    {
        Assert.Equal(reply, MessageReplies.ReplySubject(subject));
        Assert.Equal(forward, MessageReplies.ForwardSubject(subject));
    }

    [Fact]
    public void Reply_goes_to_the_sender_and_threads_under_the_original_with_its_text_quoted()
    {
        var draft = MessageReplies.Reply(Original(Thread), "zoe@example.test", replyAll: false);

        Assert.Equal([new NamedAddress("anna@example.test", "Anna Bürger")], draft.To);
        Assert.Empty(draft.Cc);
        Assert.Equal("Re: Lunch", draft.Subject);
        Assert.Equal("<c@example.test>", draft.InReplyTo);
        Assert.Equal(["<a@example.test>", "<b@example.test>", "<c@example.test>"], draft.References);
        Assert.Equal(
            "\r\n\r\nOn Tue, 3 Mar 2026 10:00:00 +0100, Anna Bürger <anna@example.test> wrote:\r\n> Shall we meet at noon?\r\n> Bring the slides.\r\n",
            draft.Text);
    }

    [Fact]
    public void Reply_all_keeps_everyone_once_but_never_the_user_themself()
    {
        var draft = MessageReplies.Reply(Original(Thread), "Zoe@example.test", replyAll: true);

        Assert.Equal(["anna@example.test", "bob@example.test"], draft.To.Select(a => a.Address));
        Assert.Equal(["carl@example.test"], draft.Cc.Select(a => a.Address));
    }

    [Fact]
    public void Reply_goes_to_reply_to_when_the_original_names_one_and_to_the_recipients_of_the_user_own_message()
    {
        var list = MessageReplies.Reply(Original("From: anna@example.test\r\nReply-To: team@lists.example.test\r\nTo: zoe@example.test\r\nSubject: x"), "zoe@example.test", replyAll: false);
        var own = MessageReplies.Reply(Original("From: zoe@example.test\r\nTo: anna@example.test\r\nSubject: x"), "zoe@example.test", replyAll: false);

        Assert.Equal(["team@lists.example.test"], list.To.Select(a => a.Address));
        Assert.Equal(["anna@example.test"], own.To.Select(a => a.Address));
        Assert.Null(own.InReplyTo);
    }

    [Fact]
    public void Quoting_an_html_only_message_quotes_its_text_without_markup_or_scripts()
    {
        var html = Original(
            "From: anna@example.test\r\nSubject: x\r\nContent-Type: text/html; charset=utf-8",
            "<html><head><style>p{}</style></head><body><p>Hello &amp; welcome</p><script>alert(1)</script><div>Second</div></body></html>");

        var draft = MessageReplies.Reply(html, "zoe@example.test", replyAll: false);

        Assert.EndsWith("wrote:\r\n> Hello & welcome\r\n> Second\r\n", draft.Text, StringComparison.Ordinal);
    }

    [Fact]
    public void Forward_inline_starts_with_the_original_header_block_and_sends_its_attachments_on()
    {
        var original = MimeMessage.Parse(MessageBuilder.Build(
            new OutgoingMessage
            {
                From = new("anna@example.test", "Anna Bürger"),
                To = [new("zoe@example.test")],
                Subject = "Slides",
                Text = "Here they are.",
                Attachments = [new("Folien für März.pdf", new byte[] { 1, 2, 3, 4 })],
            },
            TimeProvider.System).Value!.Bytes);

        var draft = MessageReplies.ForwardInline(original);

        Assert.Equal("Fwd: Slides", draft.Subject);
        Assert.StartsWith("\r\n\r\n---------- Forwarded message ----------\r\nFrom: Anna Bürger <anna@example.test>\r\nDate: ", draft.Text, StringComparison.Ordinal);
        Assert.EndsWith("\r\nSubject: Slides\r\nTo: zoe@example.test\r\n\r\nHere they are.\r\n", draft.Text, StringComparison.Ordinal);
        var attachment = Assert.Single(draft.Attachments);
        Assert.Equal("Folien für März.pdf", attachment.FileName);
        Assert.Equal("application/pdf", attachment.ContentType);
        Assert.Equal(new byte[] { 1, 2, 3, 4 }, attachment.Content.ToArray());
    }
}
