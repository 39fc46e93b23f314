using System.Buffers;
using System.Text;
using Mailstead.Protocols.Connections;
using Mailstead.Protocols.Imap.Commands;
using Microsoft.Extensions.Options;

namespace Mailstead.Protocols.Tests.Imap;

public class ImapCommandFramerTests
{
    [Fact]
    public void Server_asks_for_a_synchronizing_literal_and_parses_the_command_once_it_arrives()
    {
        var t = new ImapTranscript();

        t.Receive("a1 LOGIN {4}\r\n");
        Assert.Equal(["+ Ready for literal data"], t.Responses);

        t.Receive("fred {6}\r\n");
        t.Receive("secret\r\n");

        Assert.Equal(["+ Ready for literal data", "+ Ready for literal data", "a1 OK Login"], t.Responses);
        Assert.Equal(new LoginCommand("a1", "fred", "secret"), Assert.Single(t.Commands));
    }

    [Fact]
    public void Non_synchronizing_literals_get_no_continuation_request()
    {
        // RFC 7888 §3 example.
        var t = new ImapTranscript().Receive("A001 LOGIN {11+}\r\nFRED FOOBAR {7+}\r\nfat man\r\n");

        Assert.Equal(["A001 OK Login"], t.Responses);
        Assert.Equal(new LoginCommand("A001", "FRED FOOBAR", "fat man"), Assert.Single(t.Commands));
    }

    [Fact]
    public void A_command_with_literals_arriving_one_byte_per_read_is_framed_once_with_one_continuation()
    {
        var t = new ImapTranscript().ReceiveBytewise("a2 LOGIN {4}\r\nfred {7+}\r\nsec ret\r\na3 NOOP\r\n");

        Assert.Equal(["+ Ready for literal data", "a2 OK Login", "a3 OK Noop"], t.Responses);
        Assert.Equal(new LoginCommand("a2", "fred", "sec ret"), t.Commands[0]);
        Assert.Equal(0, t.Buffered);
    }

    [Fact]
    public void Pipelined_commands_in_one_read_are_all_framed()
    {
        var t = new ImapTranscript().Receive("1 NOOP\r\n2 CAPABILITY\r\n3 LOGOUT\r\n4 NO");

        Assert.Equal(["1 OK Noop", "2 OK Capability", "3 OK Logout"], t.Responses);
        Assert.Equal(4, t.Buffered);
    }

    [Fact]
    public void A_bare_line_feed_ends_a_line()
    {
        var t = new ImapTranscript().Receive("a NOOP\nb LOGIN {3}\nabc x\n");

        Assert.Equal(["a OK Noop", "+ Ready for literal data", "b OK Login"], t.Responses);
    }

    [Fact]
    public void A_literal_announcement_inside_an_unclosed_quoted_string_is_not_a_literal()
    {
        var t = new ImapTranscript().Receive("a LOGIN \"fred {3}\r\nb NOOP\r\n");

        Assert.Equal(["a BAD Quoted string is not closed", "b OK Noop"], t.Responses);
    }

    [Fact]
    public void An_oversized_synchronizing_literal_is_refused_without_continuation_and_the_next_command_works()
    {
        var t = new ImapTranscript(ImapTranscript.DefaultLimits with { MaxLiteralLength = 100 });

        t.Receive("a1 LOGIN fred {101}\r\n").Receive("a2 NOOP\r\n");

        Assert.Equal(["a1 BAD [TOOBIG] Literal exceeds the limit of 100 bytes", "a2 OK Noop"], t.Responses);
        Assert.Equal(ImapRejectReason.LiteralTooLarge, t.Rejections[0].Reason);
    }

    [Fact]
    public void An_oversized_non_synchronizing_literal_is_drained_across_reads_with_the_rest_of_its_command()
    {
        var t = new ImapTranscript(ImapTranscript.DefaultLimits with { MaxLiteralLength = 10 });

        t.Receive("a1 LOGIN {20+}\r\n0123456789");
        Assert.Equal(["a1 BAD [TOOBIG] Literal exceeds the limit of 10 bytes"], t.Responses);
        t.Receive("0123456789 {3+}\r\nabc").Receive("\r\na2 NOOP\r\n");

        Assert.Equal(["a1 BAD [TOOBIG] Literal exceeds the limit of 10 bytes", "a2 OK Noop"], t.Responses);
        Assert.Equal(0, t.Buffered);
    }

    [Fact]
    public void Literals_of_one_command_count_together_against_the_limit()
    {
        var t = new ImapTranscript(ImapTranscript.DefaultLimits with { MaxLiteralLength = 10 }).Receive("a LOGIN {6+}\r\nabcdef {6+}\r\nghijkl\r\nb NOOP\r\n");

        Assert.Equal(["a BAD [TOOBIG] Literal exceeds the limit of 10 bytes", "b OK Noop"], t.Responses);
    }

    [Fact]
    public void With_literal_minus_a_non_synchronizing_literal_over_4096_bytes_is_too_big()
    {
        var t = new ImapTranscript(ImapTranscript.DefaultLimits with { LiteralMinus = true });

        t.Receive("a APPEND INBOX {4097+}\r\n" + new string('x', 4097) + "\r\nb NOOP\r\n");

        Assert.Equal(ImapRejectReason.LiteralTooLarge, t.Rejections.Single().Reason);
        Assert.Equal("b OK Noop", t.Responses[^1]);
    }

    [Fact]
    public void An_append_message_beyond_the_memory_for_messages_being_received_is_refused_before_it_is_sent_until_memory_is_given_back()
    {
        var memory = new MessageMemory(Options.Create(new ProtocolLimits { MaxMessageBytesInMemory = 100 }));
        var other = new ImapTranscript(memory: memory).Receive("x APPEND INBOX {60}\r\n");
        Assert.Equal(["+ Ready for literal data"], other.Responses);

        // No continuation request: the client never sends the message (RFC 3501 §7.5).
        var t = new ImapTranscript(memory: memory).Receive("a APPEND INBOX {50}\r\n");
        Assert.Equal(ImapRejectReason.ServerBusy, t.Rejections.Single().Reason);
        Assert.DoesNotContain(t.Responses, r => r.StartsWith('+'));

        // The other message arrived whole: its memory is free again.
        other.Receive(new string('x', 60) + "\r\n");
        Assert.IsType<AppendCommand>(Assert.Single(other.Commands));
        t.Receive("b APPEND INBOX {50}\r\n");
        Assert.Equal("+ Ready for literal data", t.Responses[^1]);
    }

    [Fact]
    public void An_append_message_uses_the_append_limit_while_its_mailbox_literal_uses_the_literal_limit()
    {
        var limits = ImapTranscript.DefaultLimits with { MaxLiteralLength = 8, MaxAppendLength = 1000 };
        var message = "Subject: hi\r\n\r\nHello there, a message longer than eight bytes.\r\n";

        var accepted = new ImapTranscript(limits).Receive($"a APPEND {{5+}}\r\nDraft (\\Seen) {{{message.Length}+}}\r\n{message}\r\n");
        var append = Assert.IsType<AppendCommand>(Assert.Single(accepted.Commands));
        Assert.Equal("Draft", append.Mailbox);
        Assert.Equal(message, Encoding.ASCII.GetString(append.Messages[0].Content));

        var refused = new ImapTranscript(limits).Receive("a APPEND {9}\r\n");
        Assert.Equal(["a BAD [TOOBIG] Literal exceeds the limit of 8 bytes"], refused.Responses);

        var tooBig = new ImapTranscript(limits).Receive("a append INBOX {1001}\r\n");
        Assert.Equal(["a BAD [TOOBIG] Message exceeds the limit of 1000 bytes"], tooBig.Responses);
    }

    [Fact]
    public void A_literal_length_too_large_for_any_number_is_refused()
    {
        var t = new ImapTranscript().Receive("a LOGIN {99999999999999999999999999}\r\nb NOOP\r\n");

        Assert.Equal(["a BAD [TOOBIG] Literal exceeds the limit of 65536 bytes", "b OK Noop"], t.Responses);
    }

    [Fact]
    public void A_line_too_long_is_rejected_with_its_tag_before_it_ends_and_framing_resumes_at_the_next_line()
    {
        var t = new ImapTranscript(ImapTranscript.DefaultLimits with { MaxCommandTextLength = 64 });

        t.Receive("a7 SEARCH " + new string('1', 40));
        t.Receive(new string('2', 40));
        Assert.Equal(["a7 BAD Command line exceeds 64 bytes"], t.Responses);
        t.Receive(new string('3', 1000));
        Assert.True(t.Buffered <= 32);
        t.Receive("\r\na8 NOOP\r\n");

        Assert.Equal(["a7 BAD Command line exceeds 64 bytes", "a8 OK Noop"], t.Responses);
    }

    [Fact]
    public void A_line_too_long_without_a_tag_gets_an_untagged_bad()
    {
        var t = new ImapTranscript(ImapTranscript.DefaultLimits with { MaxCommandTextLength = 64 }).Receive(new string('(', 200) + "\r\nb NOOP\r\n");

        Assert.Equal(["* BAD Command line exceeds 64 bytes", "b OK Noop"], t.Responses);
    }

    [Fact]
    public void The_line_limit_counts_every_line_of_a_command_but_not_its_literals()
    {
        var limits = ImapTranscript.DefaultLimits with { MaxCommandTextLength = 40, MaxLiteralLength = 1000 };

        var fits = new ImapTranscript(limits).Receive("a LOGIN {100+}\r\n" + new string('u', 100) + " pw\r\n");
        Assert.Equal(["a OK Login"], fits.Responses);

        var tooLong = new ImapTranscript(limits).Receive("a LOGIN {1+}\r\nu {1+}\r\np {1+}\r\nq {1+}\r\nr {1+}\r\ns\r\n");
        Assert.Equal(ImapRejectReason.LineTooLong, tooLong.Rejections.Single().Reason);
    }

    [Fact]
    public void A_literal8_in_append_carries_nul_bytes()
    {
        var t = new ImapTranscript().Receive("a APPEND INBOX ~{5+}\r\nab\0cd\r\n");

        var append = Assert.IsType<AppendCommand>(Assert.Single(t.Commands));
        Assert.True(append.Messages[0].Binary);
        Assert.Equal(Encoding.ASCII.GetBytes("ab\0cd"), append.Messages[0].Content.ToArray());
    }

    [Fact]
    public void Nul_in_an_ordinary_literal_is_rejected()
    {
        var t = new ImapTranscript().Receive("a APPEND INBOX {5+}\r\nab\0cd\r\n");

        Assert.Equal(["a BAD NUL is not allowed in a literal (use literal8)"], t.Responses);
    }

    [Fact]
    public void Idle_ends_with_a_done_line_in_any_case()
    {
        var t = new ImapTranscript().Receive("idle IDLE\r\n").Receive("do").Receive("ne\r\nx NOOP\r\n");

        Assert.Equal(["idle OK Idle", "+ idling", "idle OK IDLE terminated", "x OK Noop"], t.Responses);
    }
}
