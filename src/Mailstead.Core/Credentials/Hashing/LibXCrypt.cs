using System.Runtime.InteropServices;

namespace Mailstead.Core.Credentials.Hashing;

/// <summary>
/// The system crypt(3), libxcrypt (Debian 12: 4.4.33), for the legacy SHA-crypt, bcrypt and MD5-crypt hashes.
/// These algorithms are easy to get subtly wrong (bcrypt's $2a$/$2y$ history, SHA-crypt's rounds= rules), so
/// the same library Dovecot and PAM use computes them.
/// </summary>
internal static partial class LibXCrypt
{
    private const string Library = "libcrypt.so.1";

    /// <summary>sizeof(struct crypt_data) in libxcrypt's crypt.h.</summary>
    internal const int CryptDataSize = 32768;

    /// <summary>CRYPT_MAX_PASSPHRASE_SIZE: libxcrypt refuses longer phrases (it returns a failure token).</summary>
    internal const int MaxPassphraseBytes = 512;

    // char *crypt_rn(const char *phrase, const char *setting, void *data, int size);
    // Reentrant: all state lives in data. Returns a pointer into data, or NULL on failure.
    [LibraryImport(Library, EntryPoint = "crypt_rn")]
    private static unsafe partial byte* CryptRn(byte* phrase, byte* setting, byte* data, int size);

    /// <summary>
    /// Hashes <paramref name="phrase"/> with the stored hash as the setting (it carries the algorithm, cost and salt)
    /// and compares the result with the stored hash in constant time.
    /// </summary>
    /// <param name="phrase">NUL-terminated password bytes without any other NUL.</param>
    /// <param name="storedHash">NUL-terminated stored hash bytes without any other NUL.</param>
    internal static unsafe bool Verify(ReadOnlySpan<byte> phrase, ReadOnlySpan<byte> storedHash)
    {
        // A fresh zeroed crypt_data per call keeps concurrent calls independent; it holds intermediate state of
        // the hash, so it is wiped before it is freed.
        var data = (byte*)NativeMemory.AllocZeroed(CryptDataSize);
        try
        {
            byte* result;
            fixed (byte* phrasePtr = phrase)
            fixed (byte* settingPtr = storedHash)
            {
                result = CryptRn(phrasePtr, settingPtr, data, CryptDataSize);
            }

            // NULL, or a failure token starting with '*', means the setting was not understood.
            if (result == null || *result == (byte)'*')
            {
                return false;
            }

            var computed = MemoryMarshal.CreateReadOnlySpanFromNullTerminated(result);
            return System.Security.Cryptography.CryptographicOperations.FixedTimeEquals(computed, storedHash[..^1]);
        }
        finally
        {
            NativeMemory.Clear(data, CryptDataSize);
            NativeMemory.Free(data);
        }
    }
}
