using System.Globalization;
using System.Text.RegularExpressions;

namespace Mailstead.Core.Credentials.Hashing;

internal enum HashScheme
{
    Argon2id,
    Argon2i,
    Sha512Crypt,
    Sha256Crypt,
    BlfCrypt,
    Md5Crypt,
    Crypt,
    Ssha512,
    Ssha256,
    Sha512,
    Sha256,
    Plain,
}

/// <summary>How the bytes of a digest scheme are written: Dovecot's <c>.B64</c>/<c>.BASE64</c> and <c>.HEX</c> suffixes.</summary>
internal enum HashEncoding
{
    Default,
    Base64,
    Hex,
}

/// <summary>
/// A stored hash split into its Dovecot scheme and the scheme's own string. Dovecot password schemes
/// (doc.dovecot.org, "Password Schemes"): <c>{SCHEME}data</c>, the scheme name case-insensitive, optionally with an
/// encoding suffix (<c>{SSHA512.HEX}</c>). A bare <c>$argon2id$</c> string (what libsodium, PHP and most Argon2
/// libraries store) is read as <c>{ARGON2ID}</c>.
/// </summary>
internal readonly partial record struct StoredHash(HashScheme Scheme, HashEncoding Encoding, string Payload)
{
    /// <summary>Longest stored hash worth looking at; every supported scheme's string is far shorter.</summary>
    internal const int MaxLength = 1024;

    internal static bool TryParse(string stored, out StoredHash hash)
    {
        hash = default;
        if (stored.Length is 0 or > MaxLength)
        {
            return false;
        }

        if (stored.StartsWith("$argon2id$", StringComparison.Ordinal))
        {
            hash = new StoredHash(HashScheme.Argon2id, HashEncoding.Default, stored);
            return true;
        }

        if (stored.StartsWith("$argon2i$", StringComparison.Ordinal))
        {
            hash = new StoredHash(HashScheme.Argon2i, HashEncoding.Default, stored);
            return true;
        }

        if (stored[0] != '{')
        {
            return false;
        }

        var close = stored.IndexOf('}', StringComparison.Ordinal);
        if (close < 0)
        {
            return false;
        }

        var name = stored.AsSpan(1, close - 1);
        var encoding = HashEncoding.Default;
        var dot = name.IndexOf('.');
        if (dot >= 0)
        {
            var suffix = name[(dot + 1)..];
            if (suffix.Equals("B64", StringComparison.OrdinalIgnoreCase) || suffix.Equals("BASE64", StringComparison.OrdinalIgnoreCase))
            {
                encoding = HashEncoding.Base64;
            }
            else if (suffix.Equals("HEX", StringComparison.OrdinalIgnoreCase))
            {
                encoding = HashEncoding.Hex;
            }
            else
            {
                return false;
            }

            name = name[..dot];
        }

        if (!TryParseScheme(name, out var scheme))
        {
            return false;
        }

        // Encoding suffixes only make sense for the digest schemes; the crypt strings have their own alphabet.
        if (encoding != HashEncoding.Default && scheme is not (HashScheme.Ssha512 or HashScheme.Ssha256 or HashScheme.Sha512 or HashScheme.Sha256 or HashScheme.Plain))
        {
            return false;
        }

        hash = new StoredHash(scheme, encoding, stored[(close + 1)..]);
        return true;
    }

    private static bool TryParseScheme(ReadOnlySpan<char> name, out HashScheme scheme)
    {
        Span<char> upper = stackalloc char[32];
        if (name.Length > upper.Length)
        {
            scheme = default;
            return false;
        }

        upper = upper[..name.ToUpperInvariant(upper)];
        HashScheme? found = upper switch
        {
            "ARGON2ID" => HashScheme.Argon2id,
            "ARGON2I" => HashScheme.Argon2i,
            "SHA512-CRYPT" => HashScheme.Sha512Crypt,
            "SHA256-CRYPT" => HashScheme.Sha256Crypt,
            "BLF-CRYPT" => HashScheme.BlfCrypt,
            "MD5-CRYPT" => HashScheme.Md5Crypt,
            "CRYPT" => HashScheme.Crypt,
            "SSHA512" => HashScheme.Ssha512,
            "SSHA256" => HashScheme.Ssha256,
            "SHA512" => HashScheme.Sha512,
            "SHA256" => HashScheme.Sha256,

            // Dovecot treats CLEAR and CLEARTEXT as aliases of PLAIN.
            "PLAIN" or "CLEAR" or "CLEARTEXT" => HashScheme.Plain,
            _ => null,
        };
        scheme = found.GetValueOrDefault();
        return found.HasValue;
    }

    /// <summary>The m, t and p of a PHC-format Argon2 string, which libsodium itself would parse the same way.</summary>
    internal static bool TryReadArgon2Parameters(string payload, out int version, out long memoryKiB, out long iterations, out int lanes)
    {
        version = 0;
        memoryKiB = iterations = lanes = 0;
        var match = Argon2String().Match(payload);
        if (!match.Success)
        {
            return false;
        }

        // Strings without v= are Argon2 1.0 (0x10); libsodium accepts them.
        version = match.Groups["v"].Success ? int.Parse(match.Groups["v"].ValueSpan, CultureInfo.InvariantCulture) : 0x10;
        memoryKiB = long.Parse(match.Groups["m"].ValueSpan, CultureInfo.InvariantCulture);
        iterations = long.Parse(match.Groups["t"].ValueSpan, CultureInfo.InvariantCulture);
        lanes = int.Parse(match.Groups["p"].ValueSpan, CultureInfo.InvariantCulture);
        return true;
    }

    /// <summary>
    /// The cost a SHA-crypt (<c>rounds=</c>, default 5000) or bcrypt (<c>$2y$NN$</c>) setting asks for;
    /// false when the string is not of the expected shape for <paramref name="scheme"/>.
    /// </summary>
    internal static bool TryReadCryptCost(HashScheme scheme, string payload, out long cost)
    {
        cost = 0;
        if (payload.StartsWith("$6$", StringComparison.Ordinal) || payload.StartsWith("$5$", StringComparison.Ordinal))
        {
            if (scheme is not (HashScheme.Crypt or HashScheme.Sha512Crypt or HashScheme.Sha256Crypt)
                || (scheme == HashScheme.Sha512Crypt) != (payload[1] == '6'))
            {
                return false;
            }

            var rounds = ShaCryptRounds().Match(payload);
            cost = rounds.Success ? long.Parse(rounds.Groups[1].ValueSpan, CultureInfo.InvariantCulture) : 5000;
            return true;
        }

        if (payload.StartsWith("$2", StringComparison.Ordinal))
        {
            var bcrypt = BcryptString().Match(payload);
            if (scheme is not (HashScheme.Crypt or HashScheme.BlfCrypt) || !bcrypt.Success)
            {
                return false;
            }

            cost = int.Parse(bcrypt.Groups[1].ValueSpan, CultureInfo.InvariantCulture);
            return true;
        }

        if (payload.StartsWith("$1$", StringComparison.Ordinal))
        {
            cost = 1000;
            return scheme is HashScheme.Crypt or HashScheme.Md5Crypt;
        }

        // Traditional DES crypt: two salt characters and eleven of hash, the format Dovecot's {CRYPT} documents.
        cost = 25;
        return scheme == HashScheme.Crypt && DesCryptString().IsMatch(payload);
    }

    [GeneratedRegex(@"^\$argon2id?\$(?:v=(?<v>[0-9]{1,3})\$)?m=(?<m>[0-9]{1,10}),t=(?<t>[0-9]{1,10}),p=(?<p>[0-9]{1,3})\$[A-Za-z0-9+/]{8,}\$[A-Za-z0-9+/]{16,}\z", RegexOptions.CultureInvariant)]
    private static partial Regex Argon2String();

    [GeneratedRegex(@"^\$[56]\$rounds=([0-9]{1,10})\$", RegexOptions.CultureInvariant)]
    private static partial Regex ShaCryptRounds();

    [GeneratedRegex(@"^\$2[aby]\$([0-9]{2})\$[./A-Za-z0-9]{53}\z", RegexOptions.CultureInvariant)]
    private static partial Regex BcryptString();

    [GeneratedRegex(@"^[./A-Za-z0-9]{13}\z", RegexOptions.CultureInvariant)]
    private static partial Regex DesCryptString();
}
