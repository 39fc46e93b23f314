using System.Buffers;
using System.Text;
using Mailstead.Protocols.Imap.Body;
using Mailstead.Core.Mime;

namespace Mailstead.Protocols.Tests.Mime;

internal static class TestMessages
{
    public static string Directory => Path.Combine(AppContext.BaseDirectory, "TestData", "mime");

    public static byte[] Bytes(string name) => File.ReadAllBytes(Path.Combine(Directory, name));

    public static MimeMessage Parse(string name, MimeParseMode mode = MimeParseMode.Loose) =>
        MimeMessage.Parse(Bytes(name), mode);

    public static string Envelope(MimeEntity message) => Render(output => ImapBodyWriter.WriteEnvelope(output, message));

    public static string BodyStructure(MimeEntity entity, bool extensible = true) =>
        Render(output => ImapBodyWriter.WriteBodyStructure(output, entity, extensible));

    public static string Section(MimeMessage message, string spec, ImapPartial? partial = null)
    {
        Assert.True(ImapSections.TryParse(spec, out var section), spec);
        return Latin1(ImapSections.Extract(message, section, partial).Span);
    }

    // Latin-1 maps each octet to one char, so byte-exact comparisons stay exact.
    public static string Latin1(ReadOnlySpan<byte> octets) => Encoding.Latin1.GetString(octets);

    public static string Render(Action<IBufferWriter<byte>> write)
    {
        var output = new ArrayBufferWriter<byte>();
        write(output);
        return Latin1(output.WrittenSpan);
    }
}
