using System.Buffers;
using System.Security.Cryptography;
using System.Text;

namespace Mailstead.Core.Credentials.Hashing;

/// <summary>
/// Dovecot's digest schemes (Password Schemes doc): <c>{SSHA512}</c> and <c>{SSHA256}</c> are
/// base64(SHA-x(password || salt) || salt), <c>{SHA512}</c> and <c>{SHA256}</c> base64(SHA-x(password)),
/// <c>{PLAIN}</c> the password itself. All are legacy: a match asks for a rehash.
/// </summary>
internal static class DigestSchemes
{
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    internal static bool Verify(StoredHash hash, byte[] password)
    {
        if (hash.Scheme == HashScheme.Plain && hash.Encoding == HashEncoding.Default)
        {
            byte[] stored;
            try
            {
                stored = StrictUtf8.GetBytes(hash.Payload);
            }
            catch (EncoderFallbackException)
            {
                return false;
            }

            // FixedTimeEquals reveals the length only, never where the first difference is.
            return CryptographicOperations.FixedTimeEquals(stored, password);
        }

        var decoded = Decode(hash.Payload, hash.Encoding == HashEncoding.Hex ? HashEncoding.Hex : HashEncoding.Base64);
        if (decoded is null)
        {
            return false;
        }

        if (hash.Scheme == HashScheme.Plain)
        {
            return CryptographicOperations.FixedTimeEquals(decoded, password);
        }

        var (algorithm, digestLength, salted) = hash.Scheme switch
        {
            HashScheme.Ssha512 => (HashAlgorithmName.SHA512, SHA512.HashSizeInBytes, true),
            HashScheme.Ssha256 => (HashAlgorithmName.SHA256, SHA256.HashSizeInBytes, true),
            HashScheme.Sha512 => (HashAlgorithmName.SHA512, SHA512.HashSizeInBytes, false),
            HashScheme.Sha256 => (HashAlgorithmName.SHA256, SHA256.HashSizeInBytes, false),
            _ => throw new ArgumentOutOfRangeException(nameof(hash), hash.Scheme, "Not a digest scheme."),
        };

        // Dovecot refuses an SSHA value without at least one byte of salt ("SSHA512 password too short").
        if (salted ? decoded.Length <= digestLength : decoded.Length != digestLength)
        {
            return false;
        }

        using var digest = IncrementalHash.CreateHash(algorithm);
        digest.AppendData(password);
        digest.AppendData(decoded, digestLength, decoded.Length - digestLength);
        Span<byte> computed = stackalloc byte[SHA512.HashSizeInBytes];
        var written = digest.GetHashAndReset(computed);
        return CryptographicOperations.FixedTimeEquals(computed[..written], decoded.AsSpan(0, digestLength));
    }

    private static byte[]? Decode(string text, HashEncoding encoding)
    {
        if (encoding == HashEncoding.Hex)
        {
            var bytes = new byte[text.Length / 2];
            return text.Length % 2 == 0 && Convert.FromHexString(text, bytes, out _, out _) == OperationStatus.Done ? bytes : null;
        }

        var buffer = new byte[(text.Length * 3 / 4) + 3];
        return Convert.TryFromBase64String(text, buffer, out var written) ? buffer[..written] : null;
    }
}
