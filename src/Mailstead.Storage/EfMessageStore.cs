using System.Linq.Expressions;
using Mailstead.Core.Mail;
using Microsoft.EntityFrameworkCore;

namespace Mailstead.Storage;

/// <summary>
/// <see cref="IMessageStore"/> over EF Core. UIDs and modseqs are taken with one
/// <c>UPDATE mail_folders … RETURNING</c> inside the transaction that writes the messages: PostgreSQL holds the
/// folder row's lock until commit and SQLite has one writer at a time, so two appends never get the same UID and a
/// rolled-back append only leaves a gap (RFC 3501 §2.3.1.1 allows gaps, never reuse).
/// </summary>
internal sealed class EfMessageStore(IDbContextFactory<MailsteadDbContext> contexts, TimeProvider time, StorageOptions options) : IMessageStore
{
    // SQLite commits one writer at a time, and each commit waits for an fsync of its log: appends that arrive while one
    // commits wait, then go into one transaction together, one fsync for all (group commit). PostgreSQL commits
    // concurrent transactions side by side and shares their log flushes itself.
    private readonly bool _groupCommit = options.Provider == DatabaseProvider.Sqlite;
    private readonly List<PendingAppend> _pendingAppends = [];
    private bool _committingAppends;

    private sealed record PendingAppend(long FolderId, StoredMessage Message)
    {
        public TaskCompletionSource<StoredMessage> Done { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }

    public async Task EnsureDefaultFoldersAsync(long mailboxId, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        var existing = await db.MailFolders.Where(f => f.MailboxId == mailboxId).Select(f => f.Name).ToListAsync(cancellationToken).ConfigureAwait(false);
        foreach (var (name, use) in MailFolder.Defaults.Where(d => !existing.Contains(d.Name)))
        {
            // Each on its own: another process creating the same default concurrently loses nothing.
            await TryCreateFolderAsync(mailboxId, name, use, cancellationToken).ConfigureAwait(false);
        }
    }

    public async Task<IReadOnlyList<MailFolder>> ListFoldersAsync(long mailboxId, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        return await db.MailFolders.AsNoTracking().Where(f => f.MailboxId == mailboxId).OrderBy(f => f.Name).ToListAsync(cancellationToken).ConfigureAwait(false);
    }

    // Only the columns of a MessageEntry are read (EF translates this projection to the SELECT list).
    private static readonly Expression<Func<StoredMessage, MessageEntry>> AsEntry =
        m => new MessageEntry(m.Uid, m.ModSeq, m.SystemFlags, m.Keywords, m.Size, m.InternalDate, m.Date, m.BodyKey);

    // The queries of every delivery and every folder refresh, compiled once per store (a compiled query serves one
    // database provider's model): EF would otherwise work out each one's parameters and cache key again at every call.
    private readonly Func<MailsteadDbContext, long, string, CancellationToken, Task<MailFolder?>> _folderByName =
        EF.CompileAsyncQuery((MailsteadDbContext db, long mailboxId, string name, CancellationToken _) =>
            db.MailFolders.AsNoTracking().FirstOrDefault(f => f.MailboxId == mailboxId && f.Name == name));

    private readonly Func<MailsteadDbContext, long, CancellationToken, Task<MailFolder?>> _folderById =
        EF.CompileAsyncQuery((MailsteadDbContext db, long folderId, CancellationToken _) =>
            db.MailFolders.AsNoTracking().FirstOrDefault(f => f.Id == folderId));

    private readonly Func<MailsteadDbContext, long, CancellationToken, Task<long>> _usage =
        EF.CompileAsyncQuery((MailsteadDbContext db, long mailboxId, CancellationToken _) =>
            db.MailFolders.Where(f => f.MailboxId == mailboxId).Sum(f => f.TotalBytes));

    private readonly Func<MailsteadDbContext, long, long, IAsyncEnumerable<MessageEntry>> _changedSince =
        EF.CompileAsyncQuery((MailsteadDbContext db, long folderId, long modSeq) =>
            db.Messages.AsNoTracking().Where(m => m.FolderId == folderId && m.ModSeq > modSeq).OrderBy(m => m.Uid).Select(AsEntry));

    public async Task<MailFolder?> FindFolderAsync(long mailboxId, string name, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        return await _folderByName(db, mailboxId, Canonical(name), cancellationToken).ConfigureAwait(false);
    }

    public async Task<MailFolder?> GetFolderAsync(long folderId, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        return await _folderById(db, folderId, cancellationToken).ConfigureAwait(false);
    }

    public async Task<bool> SetSubscribedAsync(long mailboxId, string name, bool subscribed, CancellationToken cancellationToken)
    {
        name = Canonical(name);
        await using var db = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        var updated = await db.MailFolders.Where(f => f.MailboxId == mailboxId && f.Name == name)
            .ExecuteUpdateAsync(s => s.SetProperty(f => f.Subscribed, subscribed), cancellationToken).ConfigureAwait(false);
        return updated > 0;
    }

    public async Task<MailFolder?> TryCreateFolderAsync(long mailboxId, string name, SpecialUse use, CancellationToken cancellationToken)
    {
        name = Canonical(name);
        await using var db = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        if (await db.MailFolders.AnyAsync(f => f.MailboxId == mailboxId && f.Name == name, cancellationToken).ConfigureAwait(false))
        {
            return null;
        }

        // UIDVALIDITY must grow when a name is reused (RFC 3501 §2.3.1.1): the clock, or one more than any in the mailbox.
        var latest = await db.MailFolders.Where(f => f.MailboxId == mailboxId).MaxAsync(f => (long?)f.UidValidity, cancellationToken).ConfigureAwait(false) ?? 0;
        var folder = new MailFolder
        {
            MailboxId = mailboxId,
            Name = name,
            SpecialUse = use,
            UidValidity = Math.Max(time.GetUtcNow().ToUnixTimeSeconds(), latest + 1),
        };
        db.MailFolders.Add(folder);
        try
        {
            await db.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
            return folder;
        }
        catch (DbUpdateException ex) when (db.IsUniqueViolation(ex))
        {
            return null;
        }
    }

    public async Task<bool> TryRenameFolderAsync(long mailboxId, string from, string to, CancellationToken cancellationToken)
    {
        from = Canonical(from);
        to = Canonical(to);
        if (from == MailFolder.InboxName)
        {
            return false;
        }

        await using var db = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        var prefix = from + MailFolder.Delimiter;
        var moving = await db.MailFolders.Where(f => f.MailboxId == mailboxId && (f.Name == from || f.Name.StartsWith(prefix))).ToListAsync(cancellationToken).ConfigureAwait(false);
        if (moving.Count == 0 || await db.MailFolders.AnyAsync(f => f.MailboxId == mailboxId && f.Name == to, cancellationToken).ConfigureAwait(false))
        {
            return false;
        }

        foreach (var folder in moving)
        {
            folder.Name = to + folder.Name[from.Length..];
        }

        try
        {
            await db.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
            await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (DbUpdateException ex) when (db.IsUniqueViolation(ex))
        {
            return false;
        }
    }

    public async Task<IReadOnlyList<string>?> DeleteFolderAsync(long mailboxId, string name, CancellationToken cancellationToken)
    {
        name = Canonical(name);
        await using var db = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        var folder = await db.MailFolders.FirstOrDefaultAsync(f => f.MailboxId == mailboxId && f.Name == name, cancellationToken).ConfigureAwait(false);
        if (folder is null)
        {
            return null;
        }

        await LockAsync(db, folder.Id, cancellationToken).ConfigureAwait(false);
        var keys = await db.Messages.Where(m => m.FolderId == folder.Id).Select(m => m.BodyKey).Distinct().ToListAsync(cancellationToken).ConfigureAwait(false);
        await db.Messages.Where(m => m.FolderId == folder.Id).ExecuteDeleteAsync(cancellationToken).ConfigureAwait(false);
        db.MailFolders.Remove(folder);
        await db.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
        var unreferenced = await UnreferencedAsync(db, keys, cancellationToken).ConfigureAwait(false);
        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        return unreferenced;
    }

    public async Task<StoredMessage> AppendAsync(long folderId, StoredMessage message, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(message);
        var pending = new PendingAppend(folderId, message);
        if (!_groupCommit)
        {
            await AppendAllAsync([pending], cancellationToken).ConfigureAwait(false);
            return message;
        }

        bool start;
        lock (_pendingAppends)
        {
            _pendingAppends.Add(pending);
            start = !_committingAppends;
            _committingAppends = true;
        }

        if (start)
        {
            // On its own task, so that no caller waits for the batches that queue up after its own.
            _ = Task.Run(CommitPendingAppendsAsync, CancellationToken.None);
        }

        return await pending.Done.Task.ConfigureAwait(false);
    }

    // Until no append waits. Once queued, an append is committed even if its caller gives up: its body is written.
    private async Task CommitPendingAppendsAsync()
    {
        while (true)
        {
            PendingAppend[] batch;
            lock (_pendingAppends)
            {
                if (_pendingAppends.Count == 0)
                {
                    _committingAppends = false;
                    return;
                }

                batch = [.. _pendingAppends];
                _pendingAppends.Clear();
            }

            // One failing append (its folder deleted meanwhile, an import key stored twice) must not fail the others:
            // after a failed batch each goes again on its own.
            foreach (var part in await TryAppendAllAsync(batch).ConfigureAwait(false) ? [] : batch.Chunk(1))
            {
                await TryAppendAllAsync(part).ConfigureAwait(false);
            }
        }
    }

    private async Task<bool> TryAppendAllAsync(PendingAppend[] batch)
    {
        try
        {
            await AppendAllAsync(batch, CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception) when (batch.Length > 1)
        {
            return false;
        }
        catch (Exception ex)
        {
            batch[0].Done.TrySetException(ex);
            return true;
        }

        foreach (var pending in batch)
        {
            pending.Done.TrySetResult(pending.Message);
        }

        return true;
    }

    /// <summary>The messages in one transaction: each folder's get consecutive UIDs and one new modseq.</summary>
    private async Task AppendAllAsync(IReadOnlyList<PendingAppend> batch, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        foreach (var folder in batch.GroupBy(p => p.FolderId))
        {
            var (uid, modSeq) = await AllocateAsync(db, folder.Key, folder.Count(), cancellationToken).ConfigureAwait(false);
            await ResizeAsync(db, folder.Key, folder.Sum(p => p.Message.Size), folder.Count(), cancellationToken).ConfigureAwait(false);
            foreach (var message in folder.Select(p => p.Message))
            {
                message.Id = 0;
                message.FolderId = folder.Key;
                message.Uid = uid++;
                message.ModSeq = modSeq;
                db.Messages.Add(message);
            }
        }

        await db.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
    }

    public async Task<IReadOnlyList<StoredMessage>> ListByUidAsync(long folderId, long firstUid, long lastUid, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        return await db.Messages.AsNoTracking().Where(m => m.FolderId == folderId && m.Uid >= firstUid && m.Uid <= lastUid)
            .OrderBy(m => m.Uid).ToListAsync(cancellationToken).ConfigureAwait(false);
    }

    public async Task<IReadOnlyList<MessageEntry>> ListEntriesAsync(long folderId, long firstUid, long lastUid, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        return await db.Messages.AsNoTracking().Where(m => m.FolderId == folderId && m.Uid >= firstUid && m.Uid <= lastUid).OrderBy(m => m.Uid)
            .Select(AsEntry)
            .ToListAsync(cancellationToken).ConfigureAwait(false);
    }

    public async Task<IReadOnlyList<long>> ListUidsAsync(long folderId, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        return await db.Messages.Where(m => m.FolderId == folderId).OrderBy(m => m.Uid).Select(m => m.Uid).ToListAsync(cancellationToken).ConfigureAwait(false);
    }

    public async Task<FolderChanges?> ReadChangesSinceAsync(long folderId, long modSeq, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        await using var transaction = await db.BeginSnapshotAsync(cancellationToken).ConfigureAwait(false);
        var folder = await _folderById(db, folderId, cancellationToken).ConfigureAwait(false);
        if (folder is null)
        {
            return null;
        }

        var changed = await _changedSince(db, folderId, modSeq).ToListAsync(cancellationToken).ConfigureAwait(false);
        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        return new FolderChanges(folder, changed);
    }

    public async Task<FolderCounts> CountAsync(long folderId, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        // One pass over the folder's rows: COUNT(*) and two COUNT(CASE ...).
        return await db.Messages.Where(m => m.FolderId == folderId).GroupBy(m => m.FolderId)
            .Select(g => new FolderCounts(g.Count(), g.Count(m => (m.SystemFlags & SystemFlags.Seen) == 0), g.Count(m => (m.SystemFlags & SystemFlags.Deleted) != 0)))
            .FirstOrDefaultAsync(cancellationToken).ConfigureAwait(false) ?? new FolderCounts(0, 0, 0);
    }

    public async Task<int> CountFromUidAsync(long folderId, long firstUid, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        return await db.Messages.CountAsync(m => m.FolderId == folderId && m.Uid >= firstUid, cancellationToken).ConfigureAwait(false);
    }

    public async Task ClaimRecentAsync(long folderId, long uid, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        await db.MailFolders.Where(f => f.Id == folderId && f.FirstRecentUid < uid)
            .ExecuteUpdateAsync(s => s.SetProperty(f => f.FirstRecentUid, uid), cancellationToken).ConfigureAwait(false);
    }

    public async Task<IReadOnlyDictionary<long, FolderCounts>> CountFoldersAsync(long mailboxId, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        // The folder ids first: "folder_id IN (…)" reads only this mailbox's part of the (folder, flags) index,
        // where a join would let the database walk every mailbox's messages.
        var folders = await db.MailFolders.Where(f => f.MailboxId == mailboxId).Select(f => f.Id).ToListAsync(cancellationToken).ConfigureAwait(false);
        var counts = await db.Messages
            .Where(m => folders.Contains(m.FolderId))
            .GroupBy(m => m.FolderId)
            .Select(g => new
            {
                FolderId = g.Key,
                Counts = new FolderCounts(g.Count(), g.Count(m => (m.SystemFlags & SystemFlags.Seen) == 0), g.Count(m => (m.SystemFlags & SystemFlags.Deleted) != 0)),
            })
            .ToListAsync(cancellationToken).ConfigureAwait(false);
        return counts.ToDictionary(c => c.FolderId, c => c.Counts);
    }

    public async Task<MessagePage> ListPageAsync(long folderId, MessageListQuery query, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        await using var db = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        var matching = db.Messages.AsNoTracking().Where(m => m.FolderId == folderId);
#pragma warning disable CA1304, CA1311, CA1862 // EF Core translates ToLower() and Contains to SQL lower() and LIKE; the culture overloads do not translate.
        if (query.From is { Length: > 0 } from)
        {
            var term = from.ToLowerInvariant();
            matching = matching.Where(m => m.From != null && m.From.ToLower().Contains(term));
        }

        if (query.Subject is { Length: > 0 } subject)
        {
            var term = subject.ToLowerInvariant();
            matching = matching.Where(m => m.Subject != null && m.Subject.ToLower().Contains(term));
        }

        if (query.Since is { } since)
        {
            matching = matching.Where(m => m.InternalDate >= since);
        }

        if (query.Before is { } before)
        {
            matching = matching.Where(m => m.InternalDate < before);
        }

        var total = await matching.CountAsync(cancellationToken).ConfigureAwait(false);
        // The same direction for the sort column and the UID, so one index scan in either direction serves it.
        var ordered = (query.Sort, query.Descending) switch
        {
            (MessageSort.Sender, false) => matching.OrderBy(m => m.From!.ToLower()).ThenBy(m => m.Uid),
            (MessageSort.Sender, true) => matching.OrderByDescending(m => m.From!.ToLower()).ThenByDescending(m => m.Uid),
            (MessageSort.Subject, false) => matching.OrderBy(m => m.Subject!.ToLower()).ThenBy(m => m.Uid),
            (MessageSort.Subject, true) => matching.OrderByDescending(m => m.Subject!.ToLower()).ThenByDescending(m => m.Uid),
            (_, false) => matching.OrderBy(m => m.InternalDate).ThenBy(m => m.Uid),
            _ => matching.OrderByDescending(m => m.InternalDate).ThenByDescending(m => m.Uid),
        };
#pragma warning restore CA1304, CA1311, CA1862
        var items = await ordered.Skip(Math.Max(0, query.Offset)).Take(Math.Clamp(query.Limit, 1, 1000)).ToListAsync(cancellationToken).ConfigureAwait(false);
        return new MessagePage(items, total);
    }

    public async Task<IReadOnlyList<StoredMessage>> ListRawSummariesAsync(long afterId, int limit, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
#pragma warning disable CA1847 // Npgsql translates Contains(string), not Contains(char).
        return await db.Messages.AsNoTracking()
            .Where(m => m.Id > afterId && ((m.Subject != null && m.Subject.Contains("=?")) || (m.From != null && (m.From.Contains("=?") || m.From.Contains("\"")))))
            .OrderBy(m => m.Id).Take(limit).ToListAsync(cancellationToken).ConfigureAwait(false);
#pragma warning restore CA1847
    }

    public async Task SetSummaryAsync(long messageId, string? subject, string? from, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        await db.Messages.Where(m => m.Id == messageId)
            .ExecuteUpdateAsync(s => s.SetProperty(m => m.Subject, subject).SetProperty(m => m.From, from), cancellationToken).ConfigureAwait(false);
    }

    public async Task<IReadOnlyList<StoredMessage>> SetFlagsAsync(long folderId, IReadOnlyCollection<long> uids, FlagChange change, MessageFlags flags, CancellationToken cancellationToken) =>
        (await ChangeFlagsAsync(folderId, uids, change, flags, long.MaxValue, cancellationToken).ConfigureAwait(false)).Changed;

    public Task<ConditionalFlagChange> SetFlagsUnlessChangedAsync(long folderId, IReadOnlyCollection<long> uids, FlagChange change, MessageFlags flags, long unchangedSince, CancellationToken cancellationToken) =>
        ChangeFlagsAsync(folderId, uids, change, flags, unchangedSince, cancellationToken);

    private async Task<ConditionalFlagChange> ChangeFlagsAsync(long folderId, IReadOnlyCollection<long> uids, FlagChange change, MessageFlags flags, long unchangedSince, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(flags);
        await using var db = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        // Take the folder row first (the write lock), then read: a concurrent STORE cannot interleave.
        var (_, modSeq) = await AllocateAsync(db, folderId, 0, cancellationToken).ConfigureAwait(false);
        var messages = await db.Messages.Where(m => m.FolderId == folderId && uids.Contains(m.Uid)).OrderBy(m => m.Uid).ToListAsync(cancellationToken).ConfigureAwait(false);
        var changed = new List<StoredMessage>();
        var modified = new List<long>();
        var tooMany = new List<long>();
        foreach (var message in messages)
        {
            // Under the folder lock taken above, so the modseq tested is the one the change would replace.
            if (message.ModSeq > unchangedSince)
            {
                modified.Add(message.Uid);
                continue;
            }

            var current = message.Flags;
            var keywords = new HashSet<string>(current.Keywords, StringComparer.OrdinalIgnoreCase);
            var system = change switch
            {
                FlagChange.Add => current.System | flags.System,
                FlagChange.Remove => current.System & ~flags.System,
                _ => flags.System,
            };
            switch (change)
            {
                case FlagChange.Add: keywords.UnionWith(flags.Keywords); break;
                case FlagChange.Remove: keywords.ExceptWith(flags.Keywords); break;
                default: keywords = new HashSet<string>(flags.Keywords, StringComparer.OrdinalIgnoreCase); break;
            }

            var next = new MessageFlags(system, keywords);
            if (next.Equals(current))
            {
                continue;
            }

            var stored = next.StoredKeywords;
            if (stored.Length > MessageFlags.MaxStoredKeywordsLength)
            {
                tooMany.Add(message.Uid);
                continue;
            }

            message.SystemFlags = system;
            message.Keywords = stored;
            message.ModSeq = modSeq;
            changed.Add(message);
        }

        await db.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        return new ConditionalFlagChange(changed, modified) { TooManyKeywords = tooMany };
    }

    public async Task<ExpungeResult> ExpungeAsync(long folderId, IReadOnlyCollection<long>? uids, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        await AllocateAsync(db, folderId, 0, cancellationToken).ConfigureAwait(false);
        var doomed = db.Messages.Where(m => m.FolderId == folderId && (m.SystemFlags & SystemFlags.Deleted) == SystemFlags.Deleted);
        if (uids is not null)
        {
            doomed = doomed.Where(m => uids.Contains(m.Uid));
        }

        var gone = await doomed.OrderBy(m => m.Uid).Select(m => new { m.Id, m.Uid, m.BodyKey, m.Size }).ToListAsync(cancellationToken).ConfigureAwait(false);
        var ids = gone.Select(g => g.Id).ToList();
        await db.Messages.Where(m => ids.Contains(m.Id)).ExecuteDeleteAsync(cancellationToken).ConfigureAwait(false);
        await ResizeAsync(db, folderId, -gone.Sum(g => g.Size), -gone.Count, cancellationToken).ConfigureAwait(false);
        var unreferenced = await UnreferencedAsync(db, gone.Select(g => g.BodyKey).Distinct().ToList(), cancellationToken).ConfigureAwait(false);
        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        return new ExpungeResult([.. gone.Select(g => g.Uid)], unreferenced);
    }

    public async Task<IReadOnlyList<(long Source, long Target)>> CopyAsync(long folderId, IReadOnlyCollection<long> uids, long targetFolderId, bool move, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        // Both folder rows first, in id order (no deadlock between A→B and B→A): an expunge of the source cannot
        // decide a body is unreferenced while this copy, not yet committed, points at it.
        await LockAsync(db, Math.Min(folderId, targetFolderId), cancellationToken).ConfigureAwait(false);
        await LockAsync(db, Math.Max(folderId, targetFolderId), cancellationToken).ConfigureAwait(false);
        var sources = await db.Messages.Where(m => m.FolderId == folderId && uids.Contains(m.Uid)).OrderBy(m => m.Uid).ToListAsync(cancellationToken).ConfigureAwait(false);
        if (sources.Count == 0)
        {
            return [];
        }

        var (first, modSeq) = await AllocateAsync(db, targetFolderId, sources.Count, cancellationToken).ConfigureAwait(false);
        var pairs = new List<(long, long)>(sources.Count);
        for (var i = 0; i < sources.Count; i++)
        {
            var source = sources[i];
            db.Messages.Add(new StoredMessage
            {
                FolderId = targetFolderId,
                Uid = first + i,
                ModSeq = modSeq,
                InternalDate = source.InternalDate,
                Size = source.Size,
                SystemFlags = source.SystemFlags,
                Keywords = source.Keywords,
                BodyKey = source.BodyKey,
                MessageId = source.MessageId,
                Subject = source.Subject,
                From = source.From,
                Date = source.Date,
                ImportKey = source.ImportKey,
            });
            pairs.Add((source.Uid, first + i));
        }

        var bytes = sources.Sum(s => s.Size);
        await ResizeAsync(db, targetFolderId, bytes, sources.Count, cancellationToken).ConfigureAwait(false);
        if (move)
        {
            await AllocateAsync(db, folderId, 0, cancellationToken).ConfigureAwait(false);
            await ResizeAsync(db, folderId, -bytes, -sources.Count, cancellationToken).ConfigureAwait(false);
            db.Messages.RemoveRange(sources);
        }

        await db.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        return pairs;
    }

    public async Task<long> UsageAsync(long mailboxId, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        return await _usage(db, mailboxId, cancellationToken).ConfigureAwait(false);
    }

    public async Task<IReadOnlySet<string>> ReferencedAsync(IReadOnlyCollection<string> keys, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        var found = await db.Messages.Where(m => keys.Contains(m.BodyKey)).Select(m => m.BodyKey).Distinct().ToListAsync(cancellationToken).ConfigureAwait(false);
        // Bodies waiting in the outbound queue are referenced too: the sweeper must not take mail not yet sent.
        var queued = await db.OutboundMessages.Where(m => keys.Contains(m.BodyKey)).Select(m => m.BodyKey).Distinct().ToListAsync(cancellationToken).ConfigureAwait(false);
        return found.Concat(queued).ToHashSet(StringComparer.Ordinal);
    }

    public async Task<bool> HasImportedAsync(long mailboxId, string importKey, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        return await db.Messages.AnyAsync(m => m.ImportKey == importKey && db.MailFolders.Any(f => f.Id == m.FolderId && f.MailboxId == mailboxId), cancellationToken).ConfigureAwait(false);
    }

    // IMAP names INBOX case-insensitively (RFC 3501 §5.1); every other name is kept as given.
    private static string Canonical(string name) =>
        name.Equals(MailFolder.InboxName, StringComparison.OrdinalIgnoreCase) ? MailFolder.InboxName : name;

    /// <summary>Takes <paramref name="uids"/> UIDs (possibly none) and one new modseq from the folder row; returns the first UID and the modseq.</summary>
    private static async Task<(long FirstUid, long ModSeq)> AllocateAsync(MailsteadDbContext db, long folderId, int uids, CancellationToken cancellationToken)
    {
        var rows = await db.Database.SqlQuery<Allocation>(
            $"UPDATE mail_folders SET uid_next = uid_next + {uids}, highest_mod_seq = highest_mod_seq + 1 WHERE id = {folderId} RETURNING uid_next - {uids} AS first_uid, highest_mod_seq AS mod_seq")
            .ToListAsync(cancellationToken).ConfigureAwait(false);
        return rows.Count == 1
            ? (rows[0].first_uid, rows[0].mod_seq)
            : throw new InvalidOperationException($"There is no folder {folderId}.");
    }

    private static Task<int> ResizeAsync(MailsteadDbContext db, long folderId, long bytes, long messages, CancellationToken cancellationToken) =>
        db.Database.ExecuteSqlAsync($"UPDATE mail_folders SET total_bytes = total_bytes + {bytes}, message_count = message_count + {messages} WHERE id = {folderId}", cancellationToken);

    /// <summary>
    /// Takes the folder row's write lock until commit without changing it: PostgreSQL locks the row, SQLite
    /// takes its one write lock (before any read, so the transaction never has to upgrade a stale snapshot).
    /// </summary>
    private static Task<int> LockAsync(MailsteadDbContext db, long folderId, CancellationToken cancellationToken) =>
        db.Database.ExecuteSqlAsync($"UPDATE mail_folders SET uid_next = uid_next WHERE id = {folderId}", cancellationToken);

    private static async Task<IReadOnlyList<string>> UnreferencedAsync(MailsteadDbContext db, List<string> keys, CancellationToken cancellationToken)
    {
        var still = await db.Messages.Where(m => keys.Contains(m.BodyKey)).Select(m => m.BodyKey).Distinct().ToListAsync(cancellationToken).ConfigureAwait(false);
        return [.. keys.Except(still)];
    }

#pragma warning disable IDE1006, CA1707 // Column names of the raw query.
    private sealed record Allocation(long first_uid, long mod_seq);
#pragma warning restore IDE1006, CA1707
}
