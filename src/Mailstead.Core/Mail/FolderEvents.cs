using System.Collections.Concurrent;

namespace Mailstead.Core.Mail;

/// <summary>
/// "Something changed in this folder": a delivery, an append, a flag change, an expunge, a copy or move into it.
/// IMAP sessions in IDLE (and the webmail) subscribe to the folders they show and ask the store what changed;
/// the signal carries no data, so a missed or duplicated one costs a query, never a wrong view.
/// </summary>
public sealed class FolderEvents
{
    private readonly ConcurrentDictionary<long, Action[]> _subscribers = new();

    /// <summary>The handler runs on the publisher's thread after the change committed: it must only signal, never block.</summary>
    public IDisposable Subscribe(long folderId, Action handler)
    {
        _subscribers.AddOrUpdate(folderId, _ => [handler], (_, handlers) => [.. handlers, handler]);
        return new Subscription(this, folderId, handler);
    }

    public void Publish(long folderId)
    {
        if (_subscribers.TryGetValue(folderId, out var handlers))
        {
            foreach (var handler in handlers)
            {
                handler();
            }
        }
    }

    private void Unsubscribe(long folderId, Action handler)
    {
        while (_subscribers.TryGetValue(folderId, out var handlers))
        {
            var remaining = handlers.Where(h => h != handler).ToArray();
            var done = remaining.Length == 0
                ? _subscribers.TryRemove(new KeyValuePair<long, Action[]>(folderId, handlers))
                : _subscribers.TryUpdate(folderId, remaining, handlers);
            if (done)
            {
                return;
            }
        }
    }

    private sealed class Subscription(FolderEvents events, long folderId, Action handler) : IDisposable
    {
        private int _disposed;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _disposed, 1) == 0)
            {
                events.Unsubscribe(folderId, handler);
            }
        }
    }
}
