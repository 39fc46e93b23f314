using Mailstead.Core.Sessions;
using Microsoft.EntityFrameworkCore;

namespace Mailstead.Storage;

/// <summary><see cref="ISignInHandoffStore"/> over EF Core: table <c>sign_in_handoffs</c>.</summary>
internal sealed class EfSignInHandoffStore(IDbContextFactory<MailsteadDbContext> contexts) : ISignInHandoffStore
{
    public async Task AddAsync(SignInHandoff handoff, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        db.SignInHandoffs.Add(handoff);
        await db.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
    }

    public async Task<HandoffConsumption> ConsumeAsync(string tokenHash, DateTime now, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        // One conditional UPDATE: PostgreSQL re-checks "used_at IS NULL" after waiting for a concurrent update of the
        // row (READ COMMITTED), SQLite has one writer; either way only one statement sees the row unused.
        var consumed = await db.SignInHandoffs
            .Where(h => h.TokenHash == tokenHash && h.UsedAt == null)
            .ExecuteUpdateAsync(u => u.SetProperty(h => h.UsedAt, now), cancellationToken).ConfigureAwait(false) == 1;
        var handoff = await db.SignInHandoffs.AsNoTracking().FirstOrDefaultAsync(h => h.TokenHash == tokenHash, cancellationToken).ConfigureAwait(false);
        return new HandoffConsumption(handoff, consumed && handoff is not null);
    }

    public async Task<int> DeleteExpiredAsync(DateTime before, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        return await db.SignInHandoffs.Where(h => h.ExpiresAt < before).ExecuteDeleteAsync(cancellationToken).ConfigureAwait(false);
    }
}
