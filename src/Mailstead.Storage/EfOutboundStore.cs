using Mailstead.Core.Mail;
using Microsoft.EntityFrameworkCore;

namespace Mailstead.Storage;

/// <summary><see cref="IOutboundStore"/> over EF Core: table <c>outbound_messages</c>.</summary>
internal sealed class EfOutboundStore(IDbContextFactory<MailsteadDbContext> contexts) : IOutboundStore
{
    public async Task<OutboundMessage> AddAsync(OutboundMessage message, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        db.OutboundMessages.Add(message);
        await db.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
        return message;
    }

    public async Task<IReadOnlyList<OutboundMessage>> ListAsync(OutboundState? state, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        var query = db.OutboundMessages.AsNoTracking();
        if (state is { } only)
        {
            query = query.Where(m => m.State == only);
        }

        return await query.OrderBy(m => m.Id).ToListAsync(cancellationToken).ConfigureAwait(false);
    }
}
