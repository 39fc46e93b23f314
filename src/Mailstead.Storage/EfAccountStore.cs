using Mailstead.Core.Accounts;
using Mailstead.Core.Audit;
using Microsoft.EntityFrameworkCore;

namespace Mailstead.Storage;

/// <summary>
/// <see cref="IAccountStore"/> over EF Core. A context per operation, so one instance serves the whole process.
/// Each state change and its audit event are saved in one transaction.
/// </summary>
internal sealed class EfAccountStore(IDbContextFactory<MailsteadDbContext> contexts) : IAccountStore
{
    // Every delivery and sign-in looks a mailbox up: compiled once per store (see EfMessageStore).
    private readonly Func<MailsteadDbContext, string, CancellationToken, Task<Mailbox?>> _mailboxByAddress =
        EF.CompileAsyncQuery((MailsteadDbContext db, string address, CancellationToken _) =>
            db.Mailboxes.AsNoTracking().FirstOrDefault(m => m.Address == address));

    public async Task<Domain?> FindDomainAsync(string name, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        return await db.Domains.AsNoTracking().FirstOrDefaultAsync(d => d.Name == name, cancellationToken).ConfigureAwait(false);
    }

    public async Task<IReadOnlyList<Domain>> ListDomainsAsync(CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        return await db.Domains.AsNoTracking().OrderBy(d => d.Name).ToListAsync(cancellationToken).ConfigureAwait(false);
    }

    public async Task<bool> TryAddDomainAsync(Domain domain, AuditEvent audit, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(domain);
        await using var db = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        if (await db.Domains.AnyAsync(d => d.Name == domain.Name, cancellationToken).ConfigureAwait(false))
        {
            return false;
        }

        db.Domains.Add(domain);
        return await TrySaveWithAuditAsync(db, audit, cancellationToken).ConfigureAwait(false);
    }

    public async Task UpdateDomainAsync(Domain domain, AuditEvent audit, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(domain);
        ArgumentNullException.ThrowIfNull(audit);
        await using var db = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        db.Domains.Update(domain);
        db.AuditEvents.Add(audit);
        await db.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
    }

    public async Task<Mailbox?> FindMailboxAsync(string address, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        return await _mailboxByAddress(db, address, cancellationToken).ConfigureAwait(false);
    }


    public async Task<IReadOnlyList<Mailbox>> ListMailboxesAsync(string? domain, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        var mailboxes = db.Mailboxes.AsNoTracking();
        if (domain is not null)
        {
            mailboxes = mailboxes.Where(m => db.Domains.Any(d => d.Id == m.DomainId && d.Name == domain));
        }

        return await mailboxes.OrderBy(m => m.Address).ToListAsync(cancellationToken).ConfigureAwait(false);
    }

    public async Task<MailboxPage> SearchMailboxesAsync(MailboxSearch search, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(search);
        await using var db = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        var mailboxes = db.Mailboxes.AsNoTracking();
        if (search.Domains is { } allowed)
        {
            var names = allowed.ToList();
            mailboxes = mailboxes.Where(m => db.Domains.Any(d => d.Id == m.DomainId && names.Contains(d.Name)));
        }

        if (search.Domain is { } domain)
        {
            mailboxes = mailboxes.Where(m => db.Domains.Any(d => d.Id == m.DomainId && d.Name == domain));
        }

        if (!string.IsNullOrWhiteSpace(search.Text))
        {
            // Addresses are stored in lower case; a display name is matched as typed or lower-cased.
            var text = search.Text.Trim().ToLowerInvariant();
#pragma warning disable CA1304, CA1311, CA1862 // EF translates this to SQL lower(); no .NET culture is involved
            mailboxes = mailboxes.Where(m => m.Address.Contains(text) || (m.DisplayName != null && m.DisplayName.ToLower().Contains(text)));
#pragma warning restore CA1304, CA1311, CA1862
        }

        var total = await mailboxes.CountAsync(cancellationToken).ConfigureAwait(false);
        var items = await mailboxes.OrderBy(m => m.Address).Skip(Math.Max(0, search.Skip)).Take(Math.Clamp(search.Take, 1, 500))
            .ToListAsync(cancellationToken).ConfigureAwait(false);
        return new MailboxPage(items, total);
    }

    public Task<bool> UpdateMailboxAsync(Mailbox mailbox, AuditEvent audit, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(mailbox);
        return ExecuteWithAuditAsync(
            db => db.Mailboxes.Where(m => m.Address == mailbox.Address).ExecuteUpdateAsync(
                s => s.SetProperty(m => m.DisplayName, mailbox.DisplayName)
                    .SetProperty(m => m.Disabled, mailbox.Disabled)
                    .SetProperty(m => m.QuotaBytes, mailbox.QuotaBytes),
                cancellationToken),
            audit,
            cancellationToken);
    }

    public Task<bool> TrySetRecoveryAddressAsync(string address, string? expected, string? recoveryAddress, AuditEvent audit, CancellationToken cancellationToken) =>
        ExecuteWithAuditAsync(
            db => db.Mailboxes.Where(m => m.Address == address && m.RecoveryAddress == expected).ExecuteUpdateAsync(
                s => s.SetProperty(m => m.RecoveryAddress, recoveryAddress),
                cancellationToken),
            audit,
            cancellationToken);

    public Task<bool> DeleteMailboxAsync(string address, AuditEvent audit, CancellationToken cancellationToken) =>
        ExecuteWithAuditAsync(db => db.Mailboxes.Where(m => m.Address == address).ExecuteDeleteAsync(cancellationToken), audit, cancellationToken);

    public async Task<IReadOnlyList<Operator>> ListOperatorsAsync(CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        return await db.Operators.AsNoTracking().OrderBy(o => o.Email).ToListAsync(cancellationToken).ConfigureAwait(false);
    }

    public async Task<bool> TryAddMailboxAsync(Mailbox mailbox, AuditEvent audit, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(mailbox);
        await using var db = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        if (await db.Mailboxes.AnyAsync(m => m.Address == mailbox.Address, cancellationToken).ConfigureAwait(false))
        {
            return false;
        }

        db.Mailboxes.Add(mailbox);
        return await TrySaveWithAuditAsync(db, audit, cancellationToken).ConfigureAwait(false);
    }

    public async Task<Operator?> FindOperatorAsync(string email, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        return await db.Operators.AsNoTracking().FirstOrDefaultAsync(o => o.Email == email, cancellationToken).ConfigureAwait(false);
    }

    public async Task<Operator?> FindOperatorByIdAsync(long id, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        return await db.Operators.AsNoTracking().FirstOrDefaultAsync(o => o.Id == id, cancellationToken).ConfigureAwait(false);
    }

    public async Task<bool> AnyOperatorAsync(CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        return await db.Operators.AnyAsync(cancellationToken).ConfigureAwait(false);
    }

    public async Task<bool> TryAddOperatorAsync(Operator op, AuditEvent audit, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(op);
        await using var db = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        if (await db.Operators.AnyAsync(o => o.Email == op.Email, cancellationToken).ConfigureAwait(false))
        {
            return false;
        }

        db.Operators.Add(op);
        return await TrySaveWithAuditAsync(db, audit, cancellationToken).ConfigureAwait(false);
    }

    public async Task<bool> TryReplaceCredentialAsync(
        CredentialOwner owner, string passwordHash, bool mustChange, long expectedEpoch, AuditEvent audit, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(owner);
        ArgumentNullException.ThrowIfNull(audit);
        await using var db = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        var transaction = await db.Database.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        await using (transaction.ConfigureAwait(false))
        {
            // The compare-and-set is the WHERE clause: of two changes that read the same epoch, the second finds
            // no row (PostgreSQL re-checks the condition after the first commits; SQLite serialises writers).
            // The change time is the audit event's, so the log and the credential agree.
            var changedAt = audit.At;
            var rows = owner.Kind switch
            {
                CredentialOwnerKind.Mailbox => await db.Mailboxes
                    .Where(m => m.Address == owner.Login && m.Credential.Epoch == expectedEpoch)
                    .ExecuteUpdateAsync(
                        s => s.SetProperty(m => m.Credential.PasswordHash, passwordHash)
                            .SetProperty(m => m.Credential.Epoch, m => m.Credential.Epoch + 1)
                            .SetProperty(m => m.Credential.MustChange, mustChange)
                            .SetProperty(m => m.Credential.ChangedAt, changedAt),
                        cancellationToken).ConfigureAwait(false),
                CredentialOwnerKind.Operator => await db.Operators
                    .Where(o => o.Email == owner.Login && o.Credential.Epoch == expectedEpoch)
                    .ExecuteUpdateAsync(
                        s => s.SetProperty(o => o.Credential.PasswordHash, passwordHash)
                            .SetProperty(o => o.Credential.Epoch, o => o.Credential.Epoch + 1)
                            .SetProperty(o => o.Credential.MustChange, mustChange)
                            .SetProperty(o => o.Credential.ChangedAt, changedAt),
                        cancellationToken).ConfigureAwait(false),
                _ => throw new ArgumentOutOfRangeException(nameof(owner), owner.Kind, "Unknown credential owner kind."),
            };

            if (rows == 0)
            {
                await transaction.RollbackAsync(cancellationToken).ConfigureAwait(false);
                return false;
            }

            db.AuditEvents.Add(audit);
            await db.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
            await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
            return true;
        }
    }

    public async Task<bool> TryUpgradeHashAsync(CredentialOwner owner, string passwordHash, long expectedEpoch, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(owner);
        await using var db = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);

        // Same password, stronger hash: sessions stay valid, so the epoch does not move; a change that won
        // meanwhile (epoch moved) must not be overwritten with a hash of the old password.
        var rows = owner.Kind switch
        {
            CredentialOwnerKind.Mailbox => await db.Mailboxes
                .Where(m => m.Address == owner.Login && m.Credential.Epoch == expectedEpoch)
                .ExecuteUpdateAsync(s => s.SetProperty(m => m.Credential.PasswordHash, passwordHash), cancellationToken)
                .ConfigureAwait(false),
            CredentialOwnerKind.Operator => await db.Operators
                .Where(o => o.Email == owner.Login && o.Credential.Epoch == expectedEpoch)
                .ExecuteUpdateAsync(s => s.SetProperty(o => o.Credential.PasswordHash, passwordHash), cancellationToken)
                .ConfigureAwait(false),
            _ => throw new ArgumentOutOfRangeException(nameof(owner), owner.Kind, "Unknown credential owner kind."),
        };
        return rows == 1;
    }

    public async Task AppendAuditAsync(AuditEvent audit, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(audit);
        await using var db = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        db.AuditEvents.Add(audit);
        await db.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
    }

    public async Task<IReadOnlyList<AuditEvent>> ListAuditAsync(AuditQuery query, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        await using var db = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        var events = db.AuditEvents.AsNoTracking();
        if (query.Target is { } target)
        {
            events = events.Where(e => e.Target == target);
        }

        if (query.TargetContains is { Length: > 0 } part)
        {
            events = events.Where(e => e.Target != null && e.Target.Contains(part));
        }

        if (query.Domains is { } domains)
        {
            var list = domains.ToList();
            events = events.Where(e => e.Domain != null && list.Contains(e.Domain));
        }

        if (query.Action is { } action)
        {
            events = events.Where(e => e.Action == action);
        }

        return await events
            .OrderByDescending(e => e.At)
            .ThenByDescending(e => e.Id)
            .Take(Math.Max(0, query.Limit))
            .ToListAsync(cancellationToken)
            .ConfigureAwait(false);
    }

    // One statement that writes rows (ExecuteUpdate or ExecuteDelete) and the audit event that records it, in one
    // transaction; false, and nothing written, when the statement matched no row.
    private async Task<bool> ExecuteWithAuditAsync(Func<MailsteadDbContext, Task<int>> statement, AuditEvent audit, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(audit);
        await using var db = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        var transaction = await db.Database.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        await using (transaction.ConfigureAwait(false))
        {
            if (await statement(db).ConfigureAwait(false) == 0)
            {
                return false;
            }

            db.AuditEvents.Add(audit);
            await db.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
            await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
            return true;
        }
    }

    // One SaveChanges is one transaction: the new row and its audit event commit together or not at all.
    private static async Task<bool> TrySaveWithAuditAsync(MailsteadDbContext db, AuditEvent audit, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(audit);
        db.AuditEvents.Add(audit);
        try
        {
            await db.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (DbUpdateException e) when (db.IsUniqueViolation(e))
        {
            // Lost a race with an add of the same name between the check and the insert.
            return false;
        }
    }
}
