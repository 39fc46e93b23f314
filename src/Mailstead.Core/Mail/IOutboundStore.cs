namespace Mailstead.Core.Mail;

/// <summary>Rows of the outbound queue, implemented by Mailstead.Storage. Bodies are written by <see cref="IBodyStore"/> first.</summary>
public interface IOutboundStore
{
    /// <summary>Commits the row; returns it with its id.</summary>
    Task<OutboundMessage> AddAsync(OutboundMessage message, CancellationToken cancellationToken);

    /// <summary>Messages in <paramref name="state"/> (all when null), oldest first.</summary>
    Task<IReadOnlyList<OutboundMessage>> ListAsync(OutboundState? state, CancellationToken cancellationToken);
}
