using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;

namespace Mailstead.Core.Credentials.Hashing;

/// <summary>
/// Hashes passwords with Argon2id (libsodium) and verifies them against Argon2id and the legacy Dovecot schemes a
/// migrated mail server brings along. Follows the OWASP Password Storage Cheat Sheet: Argon2id with at least
/// m=19 MiB, t=2, p=1 for new hashes; old hashes are upgraded when the user next logs in
/// (<see cref="HashVerification.MatchNeedsRehash"/>).
/// </summary>
public sealed class PasswordHasher : IDisposable
{
    /// <summary>
    /// The longest password accepted, in UTF-8 bytes. The policy allows far less; this only keeps an absurd input
    /// from costing more than a normal one (every scheme reads the whole password at least once).
    /// </summary>
    internal const int MaxPasswordBytes = 16 * 1024;

    // A stored hash names its own cost, and an imported row with m=4 GiB or bcrypt cost 31 would let one login hold
    // a slot for minutes or exhaust memory. The ceilings sit well above anything a real deployment writes:
    // Dovecot 2.3 writes Argon2id at m=64 MiB, t=3, SHA-crypt at 5000 rounds and bcrypt at cost 5; libsodium's
    // MODERATE preset is 256 MiB, t=3. Hashes above them are treated as corrupt.
    internal const long MaxStoredArgon2MemoryKiB = 256 * 1024;
    internal const long MaxStoredArgon2Iterations = 16;
    internal const long MaxShaCryptRounds = 1_000_000;
    internal const long MaxBcryptCost = 16;

    private const string Argon2idPrefix = "{ARGON2ID}";

    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    private readonly ulong _opsLimit;
    private readonly nuint _memLimit;
    private readonly int _memoryKiB;
    private readonly int _iterations;
    private readonly SemaphoreSlim _slots;
    private byte[]? _decoyHash;
    private int _running;
    private int _peakRunning;
    private bool _disposed;

    public PasswordHasher(IOptions<HashingOptions> options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var value = options.Value;
        if (value.MemoryKiB < Sodium.MinMemoryKiB)
        {
            throw new ArgumentOutOfRangeException(nameof(options), value.MemoryKiB, $"{HashingOptions.Section}:MemoryKiB must be at least {Sodium.MinMemoryKiB} (libsodium's minimum); OWASP asks for at least 19456.");
        }

        if (value.Iterations < Sodium.MinIterations)
        {
            throw new ArgumentOutOfRangeException(nameof(options), value.Iterations, $"{HashingOptions.Section}:Iterations must be at least 1; OWASP asks for 2 at 19456 KiB.");
        }

        if (value.MaxConcurrentHashes < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(options), value.MaxConcurrentHashes, $"{HashingOptions.Section}:MaxConcurrentHashes must be 0 (one per processor, at least 2) or more.");
        }

        Sodium.EnsureInitialized();
        _memoryKiB = value.MemoryKiB;
        _iterations = value.Iterations;
        _memLimit = (nuint)value.MemoryKiB * 1024;
        _opsLimit = (ulong)value.Iterations;
        MaxConcurrentHashes = value.MaxConcurrentHashes == 0 ? Math.Max(2, Environment.ProcessorCount) : value.MaxConcurrentHashes;
        _slots = new SemaphoreSlim(MaxConcurrentHashes, MaxConcurrentHashes);
    }

    internal int MaxConcurrentHashes { get; }

    /// <summary>The most native hash computations that have run at the same moment; tests check the bound with it.</summary>
    internal int PeakConcurrentHashes => Volatile.Read(ref _peakRunning);

    /// <summary>Returns <c>{ARGON2ID}$argon2id$v=19$m=…,t=…,p=1$salt$hash</c>, the form Dovecot's ARGON2ID scheme stores.</summary>
    /// <exception cref="ArgumentException">The password is not valid UTF-16 or is longer than 16 KiB in UTF-8.</exception>
    public async Task<string> HashAsync(string password, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(password);
        var passwordBytes = Encode(password)
            ?? throw new ArgumentException($"A password to hash may be at most {MaxPasswordBytes} bytes in UTF-8.", nameof(password));
        try
        {
            return Argon2idPrefix + await RunInSlotAsync(() => Argon2idHash(passwordBytes), cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(passwordBytes);
        }
    }

    /// <summary>
    /// Checks a password against a stored hash of any supported scheme. Stored data that is not a hash this class
    /// understands is a <see cref="HashVerification.Mismatch"/>, never an exception: one corrupt row must not turn a
    /// login into a server error.
    /// </summary>
    /// <exception cref="ArgumentException">The password is not valid UTF-16 (a lone surrogate): a caller's bug.</exception>
    public async Task<HashVerification> VerifyAsync(string password, string storedHash, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(password);
        ArgumentNullException.ThrowIfNull(storedHash);
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (!StoredHash.TryParse(storedHash, out var hash))
        {
            return HashVerification.Mismatch;
        }

        var passwordBytes = Encode(password);
        if (passwordBytes is null)
        {
            return HashVerification.Mismatch;
        }

        try
        {
            return hash.Scheme switch
            {
                HashScheme.Argon2id or HashScheme.Argon2i => await VerifyArgon2Async(hash, passwordBytes, cancellationToken).ConfigureAwait(false),
                HashScheme.Sha512Crypt or HashScheme.Sha256Crypt or HashScheme.BlfCrypt or HashScheme.Md5Crypt or HashScheme.Crypt =>
                    await VerifyCryptAsync(hash, passwordBytes, cancellationToken).ConfigureAwait(false),

                // Salted and plain digests cost microseconds (the password is capped at 16 KiB), so they skip the
                // slots, which exist to bound the memory-hard and deliberately slow work.
                _ => DigestSchemes.Verify(hash, passwordBytes) ? HashVerification.MatchNeedsRehash : HashVerification.Mismatch,
            };
        }
        finally
        {
            CryptographicOperations.ZeroMemory(passwordBytes);
        }
    }

    /// <summary>
    /// Verifies the password against a decoy Argon2id hash made with the configured parameters, so a login for an
    /// address that does not exist takes as long and as much memory as one for an address that does (OWASP
    /// Authentication Cheat Sheet, "Authentication Responses"). The decoy is made on first use.
    /// </summary>
    public async Task SimulateVerifyAsync(string password, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(password);
        ObjectDisposedException.ThrowIf(_disposed, this);
        var passwordBytes = Encode(password);
        if (passwordBytes is null)
        {
            // VerifyAsync refuses such a password without hashing too, so this answers in the same time.
            return;
        }

        try
        {
            await RunInSlotAsync(
                () =>
                {
                    var decoy = LazyInitializer.EnsureInitialized(ref _decoyHash, CreateDecoyHash);
                    return Sodium.PwhashStrVerify(decoy, passwordBytes, (ulong)passwordBytes.Length);
                },
                cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(passwordBytes);
        }
    }

    public void Dispose()
    {
        _disposed = true;
        _slots.Dispose();
    }

    private async Task<HashVerification> VerifyArgon2Async(StoredHash hash, byte[] passwordBytes, CancellationToken cancellationToken)
    {
        if (!StoredHash.TryReadArgon2Parameters(hash.Payload, out var version, out var memoryKiB, out var iterations, out var lanes)
            || memoryKiB > Math.Max(_memoryKiB, MaxStoredArgon2MemoryKiB)
            || iterations > Math.Max(_iterations, MaxStoredArgon2Iterations)
            || hash.Payload.Length >= Sodium.StrBytes)
        {
            return HashVerification.Mismatch;
        }

        // The regular expression admits ASCII only, so one char is one byte; libsodium wants a C string.
        var stored = NulTerminated(hash.Payload);
        var (match, needsRehash) = await RunInSlotAsync(
            () =>
            {
                if (Sodium.PwhashStrVerify(stored, passwordBytes, (ulong)passwordBytes.Length) != 0)
                {
                    return (false, false);
                }

                // crypto_pwhash_str_needs_rehash compares m and t with ours (any difference, either way, means
                // rehash, as PHP's password_needs_rehash does: the slots bound memory only if hashes use the
                // configured m). It ignores the algorithm, the version and p, so those are checked here.
                return (true, hash.Scheme != HashScheme.Argon2id || version != 0x13 || lanes != 1
                    || Sodium.PwhashStrNeedsRehash(stored, _opsLimit, _memLimit) != 0);
            },
            cancellationToken).ConfigureAwait(false);

        return !match ? HashVerification.Mismatch : needsRehash ? HashVerification.MatchNeedsRehash : HashVerification.Match;
    }

    private async Task<HashVerification> VerifyCryptAsync(StoredHash hash, byte[] passwordBytes, CancellationToken cancellationToken)
    {
        var payload = hash.Payload;
        if (!StoredHash.TryReadCryptCost(hash.Scheme, payload, out var cost)
            || (payload.StartsWith("$2", StringComparison.Ordinal) && cost > MaxBcryptCost)
            || ((payload.StartsWith("$5$", StringComparison.Ordinal) || payload.StartsWith("$6$", StringComparison.Ordinal)) && cost > MaxShaCryptRounds)
            || !Ascii.IsValid(payload)
            || payload.Contains('\0', StringComparison.Ordinal))
        {
            return HashVerification.Mismatch;
        }

        // crypt(3) takes C strings: a NUL inside the password would cut it short, and libxcrypt refuses phrases of
        // CRYPT_MAX_PASSPHRASE_SIZE (512) bytes or more. Such a password cannot match a crypt hash.
        if (passwordBytes.Length >= LibXCrypt.MaxPassphraseBytes || passwordBytes.AsSpan().Contains((byte)0))
        {
            return HashVerification.Mismatch;
        }

        var phrase = NulTerminated(passwordBytes);
        var setting = NulTerminated(payload);
        try
        {
            var match = await RunInSlotAsync(() => LibXCrypt.Verify(phrase, setting), cancellationToken).ConfigureAwait(false);
            return match ? HashVerification.MatchNeedsRehash : HashVerification.Mismatch;
        }
        finally
        {
            CryptographicOperations.ZeroMemory(phrase);
        }
    }

    /// <summary>
    /// Waits for a slot (cancellable), then runs the native call on the thread pool so the caller's thread, often an
    /// I/O loop, is not held for the tens of milliseconds Argon2id takes.
    /// </summary>
    internal async Task<T> RunInSlotAsync<T>(Func<T> work, CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        await _slots.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            return await Task.Run(
                () =>
                {
                    var running = Interlocked.Increment(ref _running);
                    RecordPeak(running);
                    try
                    {
                        return work();
                    }
                    finally
                    {
                        Interlocked.Decrement(ref _running);
                    }
                },
                cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _slots.Release();
        }
    }

    private void RecordPeak(int running)
    {
        var peak = Volatile.Read(ref _peakRunning);
        while (running > peak)
        {
            var seen = Interlocked.CompareExchange(ref _peakRunning, running, peak);
            if (seen == peak)
            {
                return;
            }

            peak = seen;
        }
    }

    private string Argon2idHash(byte[] passwordBytes)
    {
        Span<byte> output = stackalloc byte[Sodium.StrBytes];
        if (Sodium.PwhashStr(output, passwordBytes, (ulong)passwordBytes.Length, _opsLimit, _memLimit) != 0)
        {
            // libsodium fails here only when it cannot allocate the m KiB of working memory.
            throw new InvalidOperationException($"crypto_pwhash_str failed (could it allocate {_memoryKiB} KiB?).");
        }

        return Encoding.ASCII.GetString(output[..output.IndexOf((byte)0)]);
    }

    private byte[] CreateDecoyHash()
    {
        var secret = RandomNumberGenerator.GetBytes(32);
        return NulTerminated(Argon2idHash(secret));
    }

    /// <summary>The password's UTF-8 bytes, or null when it is longer than <see cref="MaxPasswordBytes"/>.</summary>
    private static byte[]? Encode(string password)
    {
        // Strict: a lone surrogate is a caller's bug (string.Normalize would already have thrown), and replacing it
        // with U+FFFD would make different passwords hash alike.
        if (password.Length > MaxPasswordBytes || StrictUtf8.GetByteCount(password) > MaxPasswordBytes)
        {
            return null;
        }

        return StrictUtf8.GetBytes(password);
    }

    private static byte[] NulTerminated(string ascii)
    {
        var bytes = new byte[ascii.Length + 1];
        Encoding.ASCII.GetBytes(ascii, bytes);
        return bytes;
    }

    private static byte[] NulTerminated(byte[] value)
    {
        var bytes = new byte[value.Length + 1];
        value.CopyTo(bytes, 0);
        return bytes;
    }
}
