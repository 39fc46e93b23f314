using System.Buffers;
using System.Text;
using Mailstead.Protocols.Connections;
using Mailstead.Protocols.Smtp;
using Microsoft.Extensions.Options;

namespace Mailstead.Protocols.Tests.Smtp;

public sealed class SmtpDataDecoderTests
{
    [Fact]
    public void Data_ends_at_crlf_dot_crlf_and_leading_dots_are_unstuffed()
    {
        var (done, decoder, rest) = Decode("Subject: x\r\n\r\n..hidden\r\n.\r\nQUIT\r\n");

        Assert.True(done);
        Assert.Equal(DataProblem.None, decoder.Problem);
        Assert.Equal("Subject: x\r\n\r\n.hidden\r\n", Encoding.ASCII.GetString(decoder.Body.Span));
        Assert.Equal("QUIT\r\n", rest);
    }

    [Theory]
    [InlineData("a\n.\r\nMAIL FROM:<x@y.test>\r\n.\r\n")]
    [InlineData("a\r\n.\nMAIL FROM:<x@y.test>\r\n.\r\n")]
    [InlineData("a\r.\r\nMAIL FROM:<x@y.test>\r\n.\r\n")]
    [InlineData("a\r\n.\r\rMAIL FROM:<x@y.test>\r\n.\r\n")]
    public void Smuggled_ends_of_data_with_bare_line_endings_do_not_end_the_data_and_fail_the_message(string data)
    {
        var (done, decoder, rest) = Decode(data);

        Assert.True(done);
        Assert.Equal(DataProblem.BareLineEnding, decoder.Problem);
        Assert.Equal("", rest);
        Assert.True(decoder.Body.IsEmpty);
    }

    [Fact]
    public void Data_split_anywhere_across_reads_decodes_the_same()
    {
        var data = "Subject: split\r\n\r\nline one\r\n..two\r\n.\r\nNOOP\r\n"u8.ToArray();
        var end = data.Length - "NOOP\r\n".Length;
        for (var cut = 1; cut < end; cut++)
        {
            var decoder = new SmtpDataDecoder(1000, 100, Memory());
            Assert.False(decoder.Decode(new ReadOnlySequence<byte>(data, 0, cut), out var consumed));
            var kept = (int)new ReadOnlySequence<byte>(data, 0, cut).Slice(0, consumed).Length;

            Assert.True(decoder.Decode(new ReadOnlySequence<byte>(data, kept, data.Length - kept), out _));
            Assert.Equal("Subject: split\r\n\r\nline one\r\n.two\r\n", Encoding.ASCII.GetString(decoder.Body.Span));
        }
    }

    [Fact]
    public void A_message_larger_than_the_limit_is_read_to_its_end_but_not_kept()
    {
        var (done, decoder, rest) = Decode(string.Concat(Enumerable.Repeat("0123456789\r\n", 20)) + ".\r\nQUIT\r\n", maxBytes: 100);

        Assert.True(done);
        Assert.Equal(DataProblem.TooLarge, decoder.Problem);
        Assert.True(decoder.Body.IsEmpty);
        Assert.Equal("QUIT\r\n", rest);
    }

    [Fact]
    public void A_line_longer_than_the_limit_fails_the_message_and_the_data_still_ends_in_step()
    {
        var decoder = new SmtpDataDecoder(1_000_000, 50, Memory());
        var longLine = Encoding.ASCII.GetBytes(new string('x', 500));

        Assert.False(decoder.Decode(new ReadOnlySequence<byte>(longLine), out _));
        Assert.True(decoder.Decode(new ReadOnlySequence<byte>("\r\n.\r\n"u8.ToArray()), out _));
        Assert.Equal(DataProblem.LineTooLong, decoder.Problem);
    }

    [Fact]
    public void A_message_beyond_the_memory_all_messages_being_received_may_hold_is_read_to_its_end_refused_and_gives_its_memory_back()
    {
        var memory = Memory(limit: 600_000);
        var other = new SmtpDataDecoder(10_000_000, 1000, memory);
        Assert.False(other.Decode(new ReadOnlySequence<byte>("Subject: held\r\n"u8.ToArray()), out _));
        var line = new string('x', 998) + "\r\n";

        var (done, decoder, rest) = Decode(string.Concat(Enumerable.Repeat(line, 500)) + ".\r\nQUIT\r\n", memory: memory);

        Assert.True(done);
        Assert.Equal(DataProblem.NoMemory, decoder.Problem);
        Assert.True(decoder.Body.IsEmpty);
        Assert.Equal("QUIT\r\n", rest);
        // The refused message gave back what it had taken; the one still being received keeps its share until done.
        long probe = 0;
        Assert.False(memory.TryHold(ref probe, 600_000));
        other.Dispose();
        Assert.True(memory.TryHold(ref probe, 600_000));
    }

    private static MessageMemory Memory(long limit = 1L << 30) =>
        new(Options.Create(new ProtocolLimits { MaxMessageBytesInMemory = limit }));

    private static (bool Done, SmtpDataDecoder Decoder, string Remaining) Decode(string data, long maxBytes = 1_000_000, MessageMemory? memory = null)
    {
        var decoder = new SmtpDataDecoder(maxBytes, 1000, memory ?? Memory());
        var buffer = new ReadOnlySequence<byte>(Encoding.ASCII.GetBytes(data));
        var done = decoder.Decode(buffer, out var consumed);
        return (done, decoder, Encoding.ASCII.GetString(buffer.Slice(consumed).ToArray()));
    }
}
