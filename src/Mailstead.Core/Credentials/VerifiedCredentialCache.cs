using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;

namespace Mailstead.Core.Credentials;

/// <summary>
/// Remembers recent successful verifications so mail clients that reconnect every minute do not pay for
/// Argon2id each time. An entry holds an HMAC of the password under a key that lives only in this process,
/// and is valid only for the exact stored hash and credential epoch it was made for: a change or reset
/// invalidates it at once (unlike a TTL-only cache such as Dovecot's auth cache).
/// </summary>
public sealed class VerifiedCredentialCache
{
    private const int MaxEntries = 100_000;
    private static readonly TimeSpan Lifetime = TimeSpan.FromMinutes(15);

    private readonly byte[] _key = RandomNumberGenerator.GetBytes(32);
    private readonly ConcurrentDictionary<string, Entry> _entries = new(StringComparer.Ordinal);
    private readonly TimeProvider _time;

    public VerifiedCredentialCache(TimeProvider time)
    {
        _time = time;
    }

    public bool Matches(string login, string password, string storedHash, long epoch) =>
        _entries.TryGetValue(login, out var entry)
        && entry.Epoch == epoch
        && entry.Expires > _time.GetUtcNow()
        && string.Equals(entry.StoredHash, storedHash, StringComparison.Ordinal)
        && CryptographicOperations.FixedTimeEquals(entry.Mac, Mac(login, password));

    public void Remember(string login, string password, string storedHash, long epoch)
    {
        if (_entries.Count >= MaxEntries)
        {
            _entries.Clear();
        }

        _entries[login] = new Entry(Mac(login, password), storedHash, epoch, _time.GetUtcNow() + Lifetime);
    }

    public void Forget(string login) => _entries.TryRemove(login, out _);

    private byte[] Mac(string login, string password) =>
        HMACSHA256.HashData(_key, Encoding.UTF8.GetBytes(login + "\0" + password));

    private sealed record Entry(byte[] Mac, string StoredHash, long Epoch, DateTimeOffset Expires);
}
