using Mailstead.Core.Accounts;
using Mailstead.Core.Audit;
using Microsoft.EntityFrameworkCore;

namespace Mailstead.Storage;

/// <summary><see cref="IApiKeyStore"/> over EF Core; each change is saved with its audit event.</summary>
internal sealed class EfApiKeyStore(IDbContextFactory<MailsteadDbContext> contexts) : IApiKeyStore
{
    public async Task AddAsync(ApiKey key, AuditEvent audit, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        db.ApiKeys.Add(key);
        db.AuditEvents.Add(audit);
        await db.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
    }

    public async Task<ApiKey?> FindBySecretHashAsync(string secretHash, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        return await db.ApiKeys.AsNoTracking().FirstOrDefaultAsync(k => k.SecretHash == secretHash, cancellationToken).ConfigureAwait(false);
    }

    public async Task<IReadOnlyList<ApiKey>> ListAsync(long operatorId, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        return await db.ApiKeys.AsNoTracking().Where(k => k.OperatorId == operatorId).OrderByDescending(k => k.Id).ToListAsync(cancellationToken).ConfigureAwait(false);
    }

    public async Task<bool> RevokeAsync(long operatorId, long id, DateTime at, AuditEvent audit, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        var key = await db.ApiKeys.FirstOrDefaultAsync(k => k.Id == id && k.OperatorId == operatorId && k.RevokedAt == null, cancellationToken).ConfigureAwait(false);
        if (key is null)
        {
            return false;
        }

        key.RevokedAt = at;
        db.AuditEvents.Add(audit);
        await db.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
        return true;
    }

    public async Task TouchAsync(long id, DateTime at, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        await db.ApiKeys.Where(k => k.Id == id).ExecuteUpdateAsync(u => u.SetProperty(k => k.LastUsedAt, at), cancellationToken).ConfigureAwait(false);
    }
}
