using System.Text;

namespace Mailstead.Core.Mime;

// A Content-Type or Content-Disposition parameter after RFC 2231 reassembly:
// continuations joined, and for an extended value ("name*=charset'lang'%XX")
// the text decoded, with Charset saying which charset it came in.
public sealed record MimeParameter(string Name, string Value, string? Charset = null, string? Language = null)
{
    // The 7-bit form to hand on (IMAP body structures, RFC 3501 §7.4.2): a plain
    // parameter as it is, an extended one re-encoded as RFC 2231 §4 "name*" with
    // charset'language'percent-encoding, which is how Dovecot presents them too.
    public (string Name, string Value) ToWireForm()
    {
        if (Charset is null)
        {
            return (Name, Value);
        }

        var encoding = MimeCharsets.Find(Charset) ?? Encoding.UTF8;
        var charset = MimeCharsets.Find(Charset) is null ? "utf-8" : Charset;
        return (Name + "*", $"{charset}'{Language}'{PercentEncode(encoding.GetBytes(Value))}");
    }

    // RFC 2231 §7: attribute-char as it is, every other octet as %XX.
    internal static string PercentEncode(ReadOnlySpan<byte> bytes)
    {
        var encoded = new StringBuilder(bytes.Length * 3);
        foreach (var b in bytes)
        {
            if (b is > 0x20 and < 0x7F && HeaderTokenizer.IsTokenChar((char)b) && b is not (byte)'*' and not (byte)'\'' and not (byte)'%')
            {
                encoded.Append((char)b);
            }
            else
            {
                encoded.Append('%').Append(b.ToString("X2", System.Globalization.CultureInfo.InvariantCulture));
            }
        }

        return encoded.ToString();
    }
}
