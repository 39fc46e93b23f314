using System.Buffers;
using System.Text;
using Mailstead.Protocols.Imap.Commands;

namespace Mailstead.Protocols.Tests.Imap;

/// <summary>Parses single framed commands (without the final CRLF) for the parser tests.</summary>
internal static class ImapParse
{
    public static T Command<T>(string line, bool utf8 = false)
        where T : ImapCommand
    {
        if (!ImapCommandParser.TryParse(new ReadOnlySequence<byte>(Encoding.UTF8.GetBytes(line)), utf8, out var command, out var rejection))
        {
            Assert.Fail($"Rejected {line}: {rejection.Reason} {rejection.Message}");
        }
        return Assert.IsType<T>(command);
    }

    public static ImapRejection Rejection(string line, bool utf8 = false) => Rejection(Encoding.UTF8.GetBytes(line), utf8);

    public static ImapRejection Rejection(byte[] line, bool utf8 = false)
    {
        Assert.False(ImapCommandParser.TryParse(new ReadOnlySequence<byte>(line), utf8, out var command, out var rejection),
            $"Accepted as {command}");
        return rejection;
    }
}
