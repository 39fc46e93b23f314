namespace Mailstead.Protocols.Imap.Commands;

/// <summary>Writes IMAP strings (RFC 3501 §4.3).</summary>
internal static class ImapQuoting
{
    /// <summary>
    /// The quoted form of <paramref name="value"/>, or null when it cannot be quoted
    /// (CR, LF, NUL or 8-bit bytes need a literal).
    /// </summary>
    public static string? TryQuote(ReadOnlySpan<byte> value)
    {
        var result = new System.Text.StringBuilder(value.Length + 2).Append('"');
        foreach (var b in value)
        {
            if (b is 0 or (byte)'\r' or (byte)'\n' or >= 0x80)
            {
                return null;
            }
            if (b is (byte)'"' or (byte)'\\')
            {
                result.Append('\\');
            }
            result.Append((char)b);
        }
        return result.Append('"').ToString();
    }
}
