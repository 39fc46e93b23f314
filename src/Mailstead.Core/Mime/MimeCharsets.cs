using System.Collections.Concurrent;
using System.Text;
using System.Text.Unicode;

namespace Mailstead.Core.Mime;

// Charset names from MIME (RFC 2045 §5.1, RFC 2047 §2, RFC 2231 §4) mapped to
// System.Text.Encoding. The code-pages provider is registered before the first
// lookup so windows-125x, iso-8859-x, koi8-r, gb2312, big5, shift_jis, euc-kr
// and the rest resolve. An unknown charset never fails a decode: the bytes are
// read as UTF-8 when they are valid UTF-8 and as windows-1252 otherwise.
internal static class MimeCharsets
{
    // Bounded so that garbage charset names in hostile mail cannot grow it forever.
    private const int CacheLimit = 256;

    private static readonly ConcurrentDictionary<string, Encoding?> Cache = CreateCache();

    private static readonly Encoding Fallback = Encoding.GetEncoding(1252);

    public static Encoding? Find(string? charset)
    {
        if (string.IsNullOrWhiteSpace(charset))
        {
            return null;
        }

        // RFC 2231 §5: "charset*language" in encoded words.
        var star = charset.IndexOf('*', StringComparison.Ordinal);
        var name = (star >= 0 ? charset[..star] : charset).Trim();
        if (Cache.TryGetValue(name, out var cached))
        {
            return cached;
        }

        var encoding = Lookup(name);
        if (Cache.Count < CacheLimit)
        {
            Cache.TryAdd(name, encoding);
        }

        return encoding;
    }

    public static string Decode(ReadOnlySpan<byte> bytes, string? charset) =>
        Find(charset) is { } encoding ? encoding.GetString(bytes) : DecodeUnlabelled(bytes);

    // Text whose charset nobody declared (8-bit header bytes, unknown labels).
    public static string DecodeUnlabelled(ReadOnlySpan<byte> bytes)
    {
        if (!bytes.ContainsAnyExceptInRange((byte)0, (byte)0x7F))
        {
            return Encoding.ASCII.GetString(bytes);
        }

        return Utf8.IsValid(bytes) ? Encoding.UTF8.GetString(bytes) : Fallback.GetString(bytes);
    }

    private static ConcurrentDictionary<string, Encoding?> CreateCache()
    {
        Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);
        return new ConcurrentDictionary<string, Encoding?>(StringComparer.OrdinalIgnoreCase);
    }

    private static Encoding? Lookup(string name)
    {
        // Labels seen in real mail that .NET does not know by that name.
        var canonical = name.ToUpperInvariant() switch
        {
            "UTF8" => "utf-8",
            "GBK" or "X-GBK" or "CP936" => "gb2312",
            "LATIN-1" => "iso-8859-1",
            "KS_C_5601" or "KSC5601" => "ks_c_5601-1987",
            _ => name,
        };
        try
        {
            return Encoding.GetEncoding(canonical);
        }
        catch (ArgumentException)
        {
            return null;
        }
        catch (NotSupportedException)
        {
            return null;
        }
    }
}
