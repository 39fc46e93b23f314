using System.Text;

namespace Mailstead.Protocols.Connections;

/// <summary>SASL mechanisms the mail protocols share: PLAIN (RFC 4616) and the LOGIN steps SMTP clients still use.</summary>
public static class Sasl
{
    /// <summary>Decodes a PLAIN response: base64 of <c>[authzid] NUL authcid NUL passwd</c>. An authzid other than the authcid is refused (no proxy logins).</summary>
    public static bool TryDecodePlain(string response, out string login, out string password)
    {
        login = password = "";
        var bytes = DecodeBase64(response);
        if (bytes is null)
        {
            return false;
        }

        var first = Array.IndexOf(bytes, (byte)0);
        var second = first < 0 ? -1 : Array.IndexOf(bytes, (byte)0, first + 1);
        if (second < 0 || Array.IndexOf(bytes, (byte)0, second + 1) >= 0)
        {
            return false;
        }

        var authzid = Utf8(bytes.AsSpan(0, first));
        login = Utf8(bytes.AsSpan(first + 1, second - first - 1));
        password = Utf8(bytes.AsSpan(second + 1));
        return login.Length > 0 && (authzid.Length == 0 || authzid == login);
    }

    /// <summary>Base64 text (a SASL step) to a string; null when it is not base64.</summary>
    public static string? DecodeText(string response) => DecodeBase64(response) is { } bytes ? Utf8(bytes) : null;

    public static string EncodeText(string text) => Convert.ToBase64String(Encoding.UTF8.GetBytes(text));

    private static byte[]? DecodeBase64(string text)
    {
        try
        {
            return Convert.FromBase64String(text.Trim());
        }
        catch (FormatException)
        {
            return null;
        }
    }

    private static string Utf8(ReadOnlySpan<byte> bytes) => Encoding.UTF8.GetString(bytes);
}
