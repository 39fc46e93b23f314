using System.Collections.Concurrent;

namespace Mailstead.Core.Mail;

/// <summary>
/// Bytes worked out from a message body (its header, an IMAP ENVELOPE), by body key. A body never changes and its
/// key is never reused, so an entry is never stale. Bounded by bytes: when full it is emptied, which is simple and
/// costs only the reads and parses a refill repeats.
/// </summary>
public sealed class BodyDerivedCache(long budgetBytes)
{
    private readonly ConcurrentDictionary<string, byte[]> _entries = new(StringComparer.Ordinal);
    private long _bytes;

    public bool TryGet(string key, out byte[] value) => _entries.TryGetValue(key, out value!);

    public void Add(string key, byte[] value)
    {
        ArgumentNullException.ThrowIfNull(value);
        if (Interlocked.Add(ref _bytes, value.Length) > budgetBytes)
        {
            _entries.Clear();
            Interlocked.Exchange(ref _bytes, value.Length);
        }

        _entries[key] = value;
    }

    public void Remove(string key) => _entries.TryRemove(key, out _);
}
