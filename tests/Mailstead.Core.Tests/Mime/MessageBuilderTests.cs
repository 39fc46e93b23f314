using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using Mailstead.Core.Accounts;
using Mailstead.Core.Mime;
using Microsoft.Extensions.Time.Testing;

namespace Mailstead.Core.Tests.Mime;

/// <summary>What the compose form writes, read back by our own parser in strict mode.</summary>
public sealed partial class MessageBuilderTests
{
    private static readonly FakeTimeProvider Clock = new(new DateTimeOffset(2026, 3, 5, 9, 7, 3, TimeSpan.Zero));

    private static readonly NamedAddress Zoe = new("zoe@example.test", "Zoë Ådahl-Łukasiewicz, Café Society");

    private static BuiltMessage Build(OutgoingMessage message)
    {
        var built = MessageBuilder.Build(message, Clock);
        Assert.True(built.Succeeded, built.Problem?.Message);
        return built.Value;
    }

    private static MimeMessage Parse(byte[] bytes)
    {
        var message = MimeMessage.Parse(bytes, MimeParseMode.Strict);
        AssertNoDefects(message.Root);
        return message;
    }

    private static void AssertNoDefects(MimeEntity entity)
    {
        Assert.Equal(MimeDefects.None, entity.Defects);
        foreach (var child in entity.Children)
        {
            AssertNoDefects(child);
        }
    }

    private static string Decoded(MimeMessage message, string field) => EncodedWords.Decode(message.Root.Field(field)!.Value);

    private static void AssertWellFormedLines(byte[] bytes)
    {
        var text = Encoding.UTF8.GetString(bytes);
        Assert.Matches(@"\r\n$", text);
        Assert.DoesNotMatch(@"[^\r]\n|\r[^\n]", text);
        var header = text[..text.IndexOf("\r\n\r\n", StringComparison.Ordinal)];
        Assert.All(header.Split("\r\n"), line => Assert.True(line.Length <= 78, $"header line of {line.Length}: {line}"));
        Assert.All(text.Split("\r\n"), line => Assert.True(Encoding.UTF8.GetByteCount(line) <= 998));
        Assert.All(EncodedWord().Matches(text), word => Assert.True(word.Length <= 75, word.Value));
    }

    [GeneratedRegex(@"=\?[^?\s]+\?[BbQq]\?[^?\s]*\?=")]
    private static partial Regex EncodedWord();

    [Fact]
    public void A_text_message_reads_back_with_the_same_names_subject_and_text_and_its_bcc_only_in_the_envelope()
    {
        var subject = "Grüße aus Köln — the agenda for Thursday's meeting, and ünïcödé that needs more than one encoded word";
        var text = "Hallo Anna,\nwie geht's? Ça va.\n\n" + new string('x', 2500) + "\nBis bald.";
        var built = Build(new OutgoingMessage
        {
            From = Zoe,
            To = [new("anna@example.test", "Anna \"Annie\" Berg"), new("Plain@Elsewhere.TEST")],
            Cc = [new("carl@example.test", "Carl")],
            Bcc = [new("secret@example.test", "Hidden Person")],
            Subject = subject,
            Text = text,
        });

        var message = Parse(built.Bytes);
        AssertWellFormedLines(built.Bytes);
        Assert.Equal(subject, Decoded(message, "Subject"));
        var from = Assert.IsType<MailboxAddress>(Assert.Single(AddressListParser.Parse(message.Root.Field("From")!.Value)));
        Assert.Equal(Zoe.DisplayName, EncodedWords.Decode(from.DisplayName!));
        Assert.Equal("zoe@example.test", $"{from.LocalPart}@{from.Domain}");
        var to = AddressListParser.Parse(message.Root.Field("To")!.Value).Cast<MailboxAddress>().ToList();
        Assert.Equal(["anna@example.test", "Plain@elsewhere.test"], to.Select(a => $"{a.LocalPart}@{a.Domain}"));
        Assert.Equal("Anna \"Annie\" Berg", to[0].DisplayName);
        Assert.Null(message.Root.Field("Bcc"));
        Assert.DoesNotContain("secret", Encoding.UTF8.GetString(built.Bytes), StringComparison.Ordinal);
        Assert.Equal(["anna@example.test", "Plain@elsewhere.test", "carl@example.test", "secret@example.test"], built.Recipients);
        Assert.Equal("text/plain", $"{message.Root.ContentType.MediaType}/{message.Root.ContentType.MediaSubtype}");
        Assert.Equal("utf-8", message.Root.ContentType.Charset);
        Assert.Equal("quoted-printable", message.Root.TransferEncoding);
        Assert.Equal(text.ReplaceLineEndings("\r\n") + "\r\n", message.Root.DecodeText());
        Assert.Equal("1.0", message.Root.Field("MIME-Version")!.Value);
        Assert.Equal("Thu, 5 Mar 2026 09:07:03 +0000", message.Root.Field("Date")!.Value);
        Assert.Matches("^<[0-9a-f]{32}@example.test>$", message.Root.Field("Message-ID")!.Value);
        Assert.Equal(built.MessageId, message.Root.Field("Message-ID")!.Value);

        var withBcc = Parse(built.WithBcc);
        Assert.Equal("Hidden Person <secret@example.test>", withBcc.Root.Field("Bcc")!.Value);
        Assert.Equal(built.MessageId, withBcc.Root.Field("Message-ID")!.Value);
    }

    [Theory]
    [InlineData("Just ASCII.\nTwo lines.", "7bit")]
    [InlineData("Mostly ASCII with one é.", "quoted-printable")]
    [InlineData("Почти всё по-русски, кроме этого.", "base64")]
    [InlineData("A line with a trailing space \nand = signs = here", "quoted-printable")]
    public void Text_goes_in_the_lightest_encoding_that_keeps_it_intact(string text, string encoding)
    {
        var built = Build(new OutgoingMessage { From = Zoe, To = [Zoe], Text = text });

        var message = Parse(built.Bytes);
        Assert.Equal(encoding, message.Root.TransferEncoding);
        Assert.Equal(text.ReplaceLineEndings("\r\n") + "\r\n", message.Root.DecodeText());
        AssertWellFormedLines(built.Bytes);
    }

    [Fact]
    public void Attachments_and_an_html_alternative_read_back_byte_for_byte_with_their_unicode_names()
    {
        var pdf = RandomNumberGenerator.GetBytes(100_003);
        var notes = Encoding.UTF8.GetBytes("plain notes\r\n");
        var longName = "Übersicht März 2026 – sehr langer Dateiname, damit RFC 2231 Fortsetzungen braucht.pdf";
        var built = Build(new OutgoingMessage
        {
            From = Zoe,
            To = [new("anna@example.test")],
            Subject = "Files",
            Text = "See attached.",
            Html = "<p>See <b>attached</b>.</p>",
            Attachments = [new(longName, pdf), new("notes.txt", notes), new("data.bin", new byte[] { 0, 1, 2 }, "application/x-custom")],
        });

        var message = Parse(built.Bytes);
        AssertWellFormedLines(built.Bytes);
        Assert.True(message.Root.ContentType.Is("multipart", "mixed"));
        var parts = message.Root.Children;
        Assert.Equal(4, parts.Count);
        Assert.True(parts[0].ContentType.Is("multipart", "alternative"));
        Assert.Equal("See attached.\r\n", parts[0].Children[0].DecodeText());
        Assert.True(parts[0].Children[1].ContentType.Is("text", "html"));
        Assert.Equal("<p>See <b>attached</b>.</p>\r\n", parts[0].Children[1].DecodeText());

        Assert.Equal(longName, parts[1].ContentDisposition!.FileName);
        Assert.Equal("attachment", parts[1].ContentDisposition!.Disposition);
        Assert.True(parts[1].ContentType.Is("application", "pdf"));
        Assert.Equal(longName, parts[1].ContentType.Parameter("name"));
        Assert.Equal("base64", parts[1].TransferEncoding);
        Assert.Equal(pdf, parts[1].DecodeContent());
        Assert.All(Encoding.ASCII.GetString(parts[1].BodyBytes.Span).Split("\r\n", StringSplitOptions.RemoveEmptyEntries), line => Assert.True(line.Length <= 76));

        Assert.Equal("notes.txt", parts[2].ContentDisposition!.FileName);
        Assert.True(parts[2].ContentType.Is("text", "plain"));
        Assert.Equal(notes, parts[2].DecodeContent());
        Assert.True(parts[3].ContentType.Is("application", "x-custom"));
        Assert.Equal(new byte[] { 0, 1, 2 }, parts[3].DecodeContent());
    }

    [Fact]
    public void A_message_forwarded_as_an_attachment_is_embedded_whole_as_message_rfc822()
    {
        var original = Build(new OutgoingMessage { From = new("anna@example.test", "Anna"), To = [Zoe], Subject = "Quarterly numbers: 3/4", Text = "Numbers inside, naïvely." });
        var parsedOriginal = MimeMessage.Parse(original.Bytes);

        var built = Build(new OutgoingMessage
        {
            From = Zoe,
            To = [new("boss@example.test")],
            Subject = MessageReplies.ForwardSubject("Quarterly numbers: 3/4"),
            Text = "FYI",
            Attachments = [OutgoingAttachment.Message(parsedOriginal)],
        });

        var message = Parse(built.Bytes);
        var attached = message.Root.Children[1];
        Assert.True(attached.ContentType.IsMessageRfc822);
        Assert.Equal(MimeEntityKind.Message, attached.Kind);
        Assert.Equal("Quarterly numbers_ 3_4.eml", attached.ContentDisposition!.FileName);
        Assert.Equal(original.Bytes, attached.BodyBytes.ToArray());
        Assert.Equal("Quarterly numbers: 3/4", attached.Message!.Field("Subject")!.Value);
    }

    [Fact]
    public void A_message_with_bare_line_feeds_is_attached_as_a_file_rather_than_broken()
    {
        var sloppy = Encoding.ASCII.GetBytes("Subject: sloppy\n\nbare LF\n");

        var built = Build(new OutgoingMessage { From = Zoe, To = [Zoe], Attachments = [OutgoingAttachment.Message(MimeMessage.Parse(sloppy))] });

        var attached = Parse(built.Bytes).Root.Children[1];
        Assert.True(attached.ContentType.Is("application", "octet-stream"));
        Assert.Equal(sloppy, attached.DecodeContent());
    }

    [Fact]
    public void A_reply_carries_in_reply_to_and_references_for_threading()
    {
        var built = Build(new OutgoingMessage
        {
            From = Zoe,
            To = [new("anna@example.test")],
            Subject = "Re: Plan",
            InReplyTo = "<b@example.test>",
            References = ["<a@example.test>", "<b@example.test>"],
        });

        var message = Parse(built.Bytes);
        Assert.Equal("<b@example.test>", message.Root.Field("In-Reply-To")!.Value);
        Assert.Equal("<a@example.test> <b@example.test>", message.Root.Field("References")!.Value);
    }

    public static TheoryData<string, OutgoingMessage> Injections => new()
    {
        { "Subject", new OutgoingMessage { From = Zoe, To = [Zoe], Subject = "Hello\r\nBcc: everyone@example.test" } },
        { "Subject", new OutgoingMessage { From = Zoe, To = [Zoe], Subject = "Hello\nX-Evil: 1" } },
        { "From", new OutgoingMessage { From = new("zoe@example.test", "Zoe\rBcc: x@example.test"), To = [Zoe] } },
        { "To", new OutgoingMessage { From = Zoe, To = [new("anna@example.test\r\nBcc: x@example.test")] } },
        { "Cc", new OutgoingMessage { From = Zoe, To = [Zoe], Cc = [new("anna@example.test", "A\nB")] } },
        { "Attachments", new OutgoingMessage { From = Zoe, To = [Zoe], Attachments = [new("a.txt\r\nContent-Type: text/html", new byte[1])] } },
        { "Attachments", new OutgoingMessage { From = Zoe, To = [Zoe], Attachments = [new("a.txt", new byte[1], "text/plain\r\nX-Evil: 1")] } },
        { "References", new OutgoingMessage { From = Zoe, To = [Zoe], InReplyTo = "<a@b>\r\nBcc: x@example.test" } },
        { "References", new OutgoingMessage { From = Zoe, To = [Zoe], References = ["<a@b> <c@d>"] } },
        { "To", new OutgoingMessage { From = Zoe, To = [new("Anna <anna@example.test>")] } },
        { "To", new OutgoingMessage { From = Zoe } },
    };

    [Theory]
    [MemberData(nameof(Injections))]
    public void A_line_break_or_a_malformed_value_in_any_field_is_refused_and_nothing_is_built(string field, OutgoingMessage message)
    {
        var built = MessageBuilder.Build(message, Clock);

        Assert.False(built.Succeeded);
        Assert.Equal(ProblemKind.Invalid, built.Problem.Kind);
        Assert.Contains(field, built.Problem.Fields.Keys);
    }

    [Fact]
    public void A_subject_of_plain_words_folds_at_spaces_and_unfolds_to_the_same_text()
    {
        var subject = string.Join(' ', Enumerable.Range(1, 40).Select(i => $"word{i}")) + "  with  double  spaces";

        var built = Build(new OutgoingMessage { From = Zoe, To = [Zoe], Subject = subject });

        Assert.Equal(subject, Parse(built.Bytes).Root.Field("Subject")!.Value);
        AssertWellFormedLines(built.Bytes);
    }
}
