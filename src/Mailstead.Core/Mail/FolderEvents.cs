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
    private readonly Lock _gate = new();
    private Action<long>[] _everyFolder = [];

    /// <summary>The handler runs on the publisher's thread after the change committed: it must only signal, never block.</summary>
    public IDisposable Subscribe(long folderId, Action handler)
    {
        _subscribers.AddOrUpdate(folderId, _ => [handler], (_, handlers) => [.. handlers, handler]);
        return new Callback(() => Unsubscribe(folderId, handler));
    }

    /// <summary>Changes of every folder: the cluster relay passes them on to the other nodes.</summary>
    public IDisposable SubscribeAll(Action<long> handler)
    {
        lock (_gate)
        {
            _everyFolder = [.. _everyFolder, handler];
        }

        return new Callback(() =>
        {
            lock (_gate)
            {
                _everyFolder = [.. _everyFolder.Where(h => h != handler)];
            }
        });
    }

    public void Publish(long folderId)
    {
        foreach (var handler in Volatile.Read(ref _everyFolder))
        {
            handler(folderId);
        }

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

    private sealed class Callback(Action unsubscribe) : IDisposable
    {
        private int _disposed;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _disposed, 1) == 0)
            {
                unsubscribe();
            }
        }
    }
}
