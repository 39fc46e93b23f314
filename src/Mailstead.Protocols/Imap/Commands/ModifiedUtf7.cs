using System.Text;

namespace Mailstead.Protocols.Imap.Commands;

/// <summary>
/// Modified UTF-7 of RFC 3501 §5.1.3, the mailbox name encoding of IMAP4rev1:
/// printable US-ASCII but "&amp;" stands for itself, "&amp;" is "&amp;-", everything else is
/// UTF-16 in base64 with "," for "/", between "&amp;" and "-".
/// </summary>
internal static class ModifiedUtf7
{
    private const string Alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+,";

    public static string Encode(string name)
    {
        var result = new StringBuilder(name.Length);
        var i = 0;
        while (i < name.Length)
        {
            var c = name[i];
            if (c is >= ' ' and <= '~')
            {
                result.Append(c == '&' ? "&-" : c);
                i++;
                continue;
            }
            var start = i;
            while (i < name.Length && name[i] is < ' ' or > '~')
            {
                i++;
            }
            result.Append('&');
            AppendBase64(result, Encoding.BigEndianUnicode.GetBytes(name, start, i - start));
            result.Append('-');
        }
        return result.ToString();
    }

    /// <summary>
    /// Decodes strictly: the RFC's MUSTs (no encoded printable ASCII, no null shifts,
    /// shift back before the end, zero padding bits, whole UTF-16) make every name
    /// have exactly one spelling, so two spellings cannot name one mailbox.
    /// </summary>
    public static bool TryDecode(ReadOnlySpan<byte> encoded, out string name)
    {
        name = "";
        var result = new StringBuilder(encoded.Length);
        var i = 0;
        var previousWasShift = false;
        while (i < encoded.Length)
        {
            var b = encoded[i];
            if (b is < 0x20 or > 0x7E)
            {
                return false;
            }
            if (b != '&')
            {
                result.Append((char)b);
                i++;
                previousWasShift = false;
                continue;
            }
            var end = encoded[(i + 1)..].IndexOf((byte)'-');
            if (end < 0)
            {
                return false;
            }
            var base64 = encoded.Slice(i + 1, end);
            i += end + 2;
            if (base64.IsEmpty)
            {
                result.Append('&');
                previousWasShift = false;
                continue;
            }
            if (previousWasShift || !TryDecodeBase64(base64, result))
            {
                return false;
            }
            previousWasShift = true;
        }
        name = result.ToString();
        return true;
    }

    private static void AppendBase64(StringBuilder result, byte[] bytes)
    {
        var bits = 0;
        var buffer = 0;
        foreach (var b in bytes)
        {
            buffer = (buffer << 8) | b;
            bits += 8;
            while (bits >= 6)
            {
                bits -= 6;
                result.Append(Alphabet[(buffer >> bits) & 0x3F]);
            }
        }
        if (bits > 0)
        {
            result.Append(Alphabet[(buffer << (6 - bits)) & 0x3F]);
        }
    }

    private static bool TryDecodeBase64(ReadOnlySpan<byte> base64, StringBuilder result)
    {
        var bytes = new List<byte>(base64.Length);
        var bits = 0;
        var buffer = 0;
        foreach (var b in base64)
        {
            var value = Alphabet.IndexOf((char)b, StringComparison.Ordinal);
            if (value < 0)
            {
                return false;
            }
            buffer = ((buffer << 6) | value) & 0xFFFFFF;
            bits += 6;
            if (bits >= 8)
            {
                bits -= 8;
                bytes.Add((byte)(buffer >> bits));
            }
        }
        if (bits >= 6 || (buffer & ((1 << bits) - 1)) != 0 || bytes.Count % 2 != 0)
        {
            return false;
        }
        var start = result.Length;
        for (var k = 0; k < bytes.Count; k += 2)
        {
            var c = (char)((bytes[k] << 8) | bytes[k + 1]);
            var previous = result.Length > start ? result[^1] : '\0';
            var pairOpen = char.IsHighSurrogate(previous);
            if ((char.IsLowSurrogate(c) != pairOpen) || c is >= ' ' and <= '~')
            {
                return false;
            }
            result.Append(c);
        }
        return !char.IsHighSurrogate(result[^1]);
    }
}
