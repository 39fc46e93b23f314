using System.Text;
using Mailstead.Protocols.Imap.Body;

namespace Mailstead.Protocols.Imap;

internal static class ImapWriterExtensions
{
    /// <summary>Protocol text the server composed (item names, flag lists, dates): US-ASCII as it is.</summary>
    public static ImapWriter AsciiRaw(this ImapWriter writer, string text)
    {
        ArgumentNullException.ThrowIfNull(writer);
        Encoding.ASCII.GetBytes(text, writer.Output);
        return writer;
    }
}
