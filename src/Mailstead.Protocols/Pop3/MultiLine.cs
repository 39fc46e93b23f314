using System.Buffers;

namespace Mailstead.Protocols.Pop3;

/// <summary>RFC 1939 §3 multi-line responses: CRLF line endings, a leading "." doubled, ended by ".".</summary>
internal static class MultiLine
{
    private static readonly byte[] Terminator = ".\r\n"u8.ToArray();

    /// <summary>
    /// Writes <paramref name="message"/> as a multi-line response; with <paramref name="bodyLines"/>, only the
    /// header, the blank line and that many body lines (TOP). Lone LFs from imported mail become CRLF.
    /// </summary>
    public static void Write(IBufferWriter<byte> output, ReadOnlySpan<byte> message, int? bodyLines)
    {
        var inBody = false;
        var bodyLinesWritten = 0;
        while (!message.IsEmpty)
        {
            if (inBody && bodyLines is { } limit && bodyLinesWritten >= limit)
            {
                break;
            }

            var lf = message.IndexOf((byte)'\n');
            var line = lf < 0 ? message : message[..lf];
            message = lf < 0 ? [] : message[(lf + 1)..];
            if (line.EndsWith("\r"u8))
            {
                line = line[..^1];
            }

            if (line.StartsWith("."u8))
            {
                output.Write("."u8);
            }

            output.Write(line);
            output.Write("\r\n"u8);
            if (inBody)
            {
                bodyLinesWritten++;
            }
            else if (line.IsEmpty)
            {
                inBody = true;
            }
        }

        output.Write(Terminator);
    }
}
