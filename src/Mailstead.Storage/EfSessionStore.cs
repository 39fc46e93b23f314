using Mailstead.Core.Accounts;
using Mailstead.Core.Sessions;
using Microsoft.EntityFrameworkCore;

namespace Mailstead.Storage;

/// <summary><see cref="ISessionStore"/> over EF Core, a context per operation.</summary>
internal sealed class EfSessionStore(IDbContextFactory<MailsteadDbContext> contexts) : ISessionStore
{
    public async Task AddAsync(WebSession session, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        db.WebSessions.Add(session);
        await db.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
    }

    public async Task<WebSession?> FindAsync(string tokenHash, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        return await db.WebSessions.AsNoTracking().FirstOrDefaultAsync(s => s.TokenHash == tokenHash, cancellationToken).ConfigureAwait(false);
    }

    public async Task<WebSession?> FindByIdAsync(long id, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        return await db.WebSessions.AsNoTracking().FirstOrDefaultAsync(s => s.Id == id, cancellationToken).ConfigureAwait(false);
    }

    public async Task TouchAsync(long id, DateTime lastSeenAt, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        await db.WebSessions.Where(s => s.Id == id).ExecuteUpdateAsync(u => u.SetProperty(s => s.LastSeenAt, lastSeenAt), cancellationToken).ConfigureAwait(false);
    }

    public async Task<IReadOnlyList<WebSession>> ListAsync(CredentialOwner owner, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(owner);
        await using var db = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        return await db.WebSessions.AsNoTracking()
            .Where(s => s.OwnerKind == owner.Kind && s.Login == owner.Login)
            .OrderByDescending(s => s.Id)
            .ToListAsync(cancellationToken).ConfigureAwait(false);
    }

    public async Task<bool> DeleteAsync(CredentialOwner owner, long id, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(owner);
        await using var db = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        return await db.WebSessions
            .Where(s => s.Id == id && s.OwnerKind == owner.Kind && s.Login == owner.Login)
            .ExecuteDeleteAsync(cancellationToken).ConfigureAwait(false) > 0;
    }

    public async Task<int> DeleteAllAsync(CredentialOwner owner, long? exceptId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(owner);
        await using var db = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        return await db.WebSessions
            .Where(s => s.OwnerKind == owner.Kind && s.Login == owner.Login && (exceptId == null || s.Id != exceptId))
            .ExecuteDeleteAsync(cancellationToken).ConfigureAwait(false);
    }

    public async Task<int> DeleteExpiredAsync(DateTime now, DateTime idleSince, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        return await db.WebSessions
            .Where(s => s.ExpiresAt <= now || s.LastSeenAt <= idleSince)
            .ExecuteDeleteAsync(cancellationToken).ConfigureAwait(false);
    }
}
