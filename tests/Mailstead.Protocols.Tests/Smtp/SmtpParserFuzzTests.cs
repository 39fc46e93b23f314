using System.Buffers;
using System.Text;
using Mailstead.Protocols.Connections;
using Mailstead.Protocols.Smtp;
using Microsoft.Extensions.Options;

namespace Mailstead.Protocols.Tests.Smtp;

public sealed class SmtpParserFuzzTests
{
    // Pieces of real commands, so the garbage reaches deep into the grammar instead of failing at the verb.
    private static readonly string[] Pieces =
    [
        "MAIL FROM:", "RCPT TO:", "EHLO ", "<", ">", "@", ".", "\"", "\\", "[", "]", "IPv6:", ":", ",", " ", "=",
        "SIZE=", "BODY=8BITMIME", "SMTPUTF8", "AUTH=", "alice", "example.test", "192.0.2.1", "::1", "-", "ü", "\u0000", "\t", "Postmaster",
    ];

    [Fact]
    public void A_million_garbage_lines_never_throw_and_every_refusal_is_a_proper_reply()
    {
        var random = new Random(5321);
        var text = new StringBuilder();
        for (var i = 0; i < 1_000_000; i++)
        {
            text.Clear();
            var parts = random.Next(1, 12);
            for (var p = 0; p < parts; p++)
            {
                if (random.Next(4) == 0)
                {
                    text.Append((char)random.Next(0, 0x3000));
                }
                else
                {
                    text.Append(Pieces[random.Next(Pieces.Length)]);
                }
            }

            var line = text.ToString();
            var command = SmtpCommand.Parse(Encoding.UTF8.GetBytes(line));
            Check(SmtpArguments.ParseMail(command.Argument, authOffered: (i & 1) == 0).Error);
            Check(SmtpArguments.ParseRcpt(command.Argument).Error);
            Check(SmtpArguments.ParseHelo(command.Argument).Error);
            Check(SmtpArguments.ParseMail(line, authOffered: true).Error);
            Check(SmtpArguments.ParseRcpt(line).Error);
        }
    }

    [Fact]
    public void Random_bytes_as_data_never_throw_and_never_keep_a_bare_line_ending()
    {
        var random = new Random(51764);
        var alphabet = "\r\n.ab"u8.ToArray();
        for (var i = 0; i < 20_000; i++)
        {
            var data = new byte[random.Next(1, 200)];
            for (var j = 0; j < data.Length; j++)
            {
                data[j] = alphabet[random.Next(alphabet.Length)];
            }

            var decoder = new SmtpDataDecoder(10_000, 64, new MessageMemory(Options.Create(new ProtocolLimits())));
            decoder.Decode(new ReadOnlySequence<byte>(data), out _);
            var body = decoder.Body.Span;
            for (var j = 0; j < body.Length; j++)
            {
                Assert.True(body[j] != '\n' || (j > 0 && body[j - 1] == '\r'));
                Assert.True(body[j] != '\r' || (j + 1 < body.Length && body[j + 1] == '\n'));
            }
        }
    }

    private static void Check(SmtpReply? error)
    {
        if (error is not null)
        {
            Assert.InRange(error.Code, 500, 555);
            Assert.Matches(@"^5\.\d\.\d$", error.Status);
        }
    }
}
