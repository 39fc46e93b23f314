using System.Runtime.InteropServices;

namespace Mailstead.Core.Credentials.Hashing;

/// <summary>libsodium's password hashing API (Debian 12 ships libsodium 1.0.18 as <c>libsodium.so.23</c>).</summary>
internal static partial class Sodium
{
    private const string Library = "libsodium.so.23";

    /// <summary><c>crypto_pwhash_STRBYTES</c>: the encoded hash and its terminating NUL fit in 128 bytes.</summary>
    internal const int StrBytes = 128;

    // crypto_pwhash_argon2id_MEMLIMIT_MIN is 8192 bytes, OPSLIMIT_MIN is 1.
    internal const int MinMemoryKiB = 8;
    internal const int MinIterations = 1;

    private static readonly Lazy<int> Initialized = new(sodium_init);

    /// <summary>sodium_init picks the fastest implementations and seeds the RNG; it must run before any other call.</summary>
    internal static void EnsureInitialized()
    {
        // 0: initialised now, 1: already initialised, -1: failure.
        if (Initialized.Value < 0)
        {
            throw new InvalidOperationException("libsodium's sodium_init failed; password hashing is unavailable.");
        }
    }

    [LibraryImport(Library)]
    private static partial int sodium_init();

    // int crypto_pwhash_str(char out[crypto_pwhash_STRBYTES], const char *passwd, unsigned long long passwdlen,
    //                       unsigned long long opslimit, size_t memlimit);
    [LibraryImport(Library, EntryPoint = "crypto_pwhash_str")]
    internal static partial int PwhashStr(Span<byte> output, ReadOnlySpan<byte> password, ulong passwordLength, ulong opsLimit, nuint memLimit);

    // int crypto_pwhash_str_verify(const char *str, const char *passwd, unsigned long long passwdlen);
    // str must be NUL-terminated; returns 0 on a match and -1 on a mismatch or any error.
    [LibraryImport(Library, EntryPoint = "crypto_pwhash_str_verify")]
    internal static partial int PwhashStrVerify(ReadOnlySpan<byte> hash, ReadOnlySpan<byte> password, ulong passwordLength);

    // int crypto_pwhash_str_needs_rehash(const char *str, unsigned long long opslimit, size_t memlimit);
    // 0: same parameters, 1: different parameters, -1: not a hash libsodium can parse.
    [LibraryImport(Library, EntryPoint = "crypto_pwhash_str_needs_rehash")]
    internal static partial int PwhashStrNeedsRehash(ReadOnlySpan<byte> hash, ulong opsLimit, nuint memLimit);
}
