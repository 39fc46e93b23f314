namespace Mailstead.Core.Mime;

// The entry point: a message and its MIME tree over the original bytes.
//
//   var message = MimeMessage.Parse(bytes);               // loose, default limits
//   message.Root.Field("Subject")?.Value                   // raw, unfolded
//   EncodedWords.Decode(...)                               // for display
//   message.Root.Children[0].DecodeText()                  // a text part as a string
//   AddressListParser.Parse(message.Root.Field("To")!.Value)
//
// Parsing never throws and takes linear time; see MimeParseMode and MimeLimits.
public sealed class MimeMessage
{
    private MimeMessage(ReadOnlyMemory<byte> raw, MimeEntity root)
    {
        Raw = raw;
        Root = root;
    }

    public ReadOnlyMemory<byte> Raw { get; }

    public MimeEntity Root { get; }

    public static MimeMessage Parse(ReadOnlyMemory<byte> raw, MimeParseMode mode = MimeParseMode.Loose, MimeLimits? limits = null) =>
        new(raw, MimeParser.Parse(raw, mode, limits ?? MimeLimits.Default));

    /// <summary>
    /// How long the header is with the blank line that ends it (CRLF CRLF, or LF LF in loosely written mail, whichever
    /// comes first); -1 when <paramref name="bytes"/> hold no blank line (yet).
    /// </summary>
    public static int HeaderLength(ReadOnlySpan<byte> bytes)
    {
        var crlf = bytes.IndexOf("\r\n\r\n"u8);
        var lf = bytes.IndexOf("\n\n"u8);
        return (crlf, lf) switch
        {
            (< 0, < 0) => -1,
            (>= 0, < 0) => crlf + 4,
            (< 0, >= 0) => lf + 2,
            _ => crlf < lf ? crlf + 4 : lf + 2,
        };
    }
}
