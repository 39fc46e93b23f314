using System.Buffers;
using System.Text;
using Mailstead.Protocols.Pop3;

namespace Mailstead.Protocols.Tests.Pop3;

public sealed class MultiLineTests
{
    [Fact]
    public void Lines_starting_with_a_dot_are_doubled_lone_lfs_become_crlf_and_a_dot_line_ends_the_response()
    {
        var output = new ArrayBufferWriter<byte>();

        MultiLine.Write(output, "Subject: x\r\n\r\n.hidden\n..two\r\nlast"u8, bodyLines: null);

        Assert.Equal("Subject: x\r\n\r\n..hidden\r\n...two\r\nlast\r\n.\r\n", Encoding.ASCII.GetString(output.WrittenSpan));
    }

    [Fact]
    public void Top_sends_the_header_the_blank_line_and_only_the_asked_number_of_body_lines()
    {
        var output = new ArrayBufferWriter<byte>();

        MultiLine.Write(output, "A: 1\r\nB: 2\r\n\r\none\r\ntwo\r\nthree\r\n"u8, bodyLines: 2);

        Assert.Equal("A: 1\r\nB: 2\r\n\r\none\r\ntwo\r\n.\r\n", Encoding.ASCII.GetString(output.WrittenSpan));
    }

    [Fact]
    public void Random_messages_come_back_whole_after_undoing_the_dot_stuffing_and_never_end_early()
    {
        var seed = Environment.GetEnvironmentVariable("POP3_FUZZ_SEED") is { } given ? int.Parse(given, System.Globalization.CultureInfo.InvariantCulture) : Random.Shared.Next();
        var random = new Random(seed);
        byte[] alphabet = [(byte)'.', (byte)'\r', (byte)'\n', (byte)'a', (byte)' ', 0, 0xff];
        var lines = 0;
        while (lines < 1_000_000)
        {
            var message = new byte[random.Next(0, 400)];
            for (var i = 0; i < message.Length; i++)
            {
                message[i] = alphabet[random.Next(alphabet.Length)];
            }

            var output = new ArrayBufferWriter<byte>();
            MultiLine.Write(output, message, bodyLines: null);

            var sent = Encoding.Latin1.GetString(output.WrittenSpan).Split("\r\n");
            lines += sent.Length;
            Assert.True(sent[^1] == "" && sent[^2] == ".", $"seed {seed}: the response does not end with the dot line");
            var body = sent[..^2];
            Assert.True(body.All(l => l != "."), $"seed {seed}: a dot line before the end would cut the message short");
            var unstuffed = string.Concat(body.Select(l => (l.StartsWith('.') ? l[1..] : l) + "\r\n"));
            Assert.True(Normalized(message) == unstuffed, $"seed {seed}: the message did not survive the round trip");
        }
    }

    // What the client should get back: every line ended with CRLF (a lone LF counts as a line end, as MultiLine reads it).
    private static string Normalized(byte[] message)
    {
        var text = Encoding.Latin1.GetString(message);
        if (text.Length == 0)
        {
            return "";
        }

        var lines = text.Split('\n').Select(l => l.EndsWith('\r') ? l[..^1] : l).ToList();
        if (text.EndsWith('\n'))
        {
            lines.RemoveAt(lines.Count - 1);
        }

        return string.Concat(lines.Select(l => l + "\r\n"));
    }
}
