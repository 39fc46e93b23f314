using Mailstead.Core.Accounts;

namespace Mailstead.Core.Sessions;

/// <summary>
/// A one-time ticket that carries a signed-in mailbox from one surface to another (the webmail's User Settings into
/// the user panel). Stored in the database so any node of a cluster can redeem it; only the SHA-256 of the token is
/// kept. Bound to the web session that asked for it: when that session ends, the row goes with it.
/// </summary>
public sealed class SignInHandoff
{
    public long Id { get; set; }

    /// <summary>Lower-case hex SHA-256 of the token; unique.</summary>
    public required string TokenHash { get; set; }

    /// <summary>The web session that issued it (a foreign key: deleting the session deletes the handoff).</summary>
    public long SessionId { get; set; }

    /// <summary>The mailbox it signs in.</summary>
    public required string Login { get; set; }

    /// <summary>The only surface that may redeem it.</summary>
    public Surface TargetSurface { get; set; }

    public DateTime CreatedAt { get; set; }

    public DateTime ExpiresAt { get; set; }

    /// <summary>When it was redeemed, or tried again after that; null while unused.</summary>
    public DateTime? UsedAt { get; set; }
}

/// <summary>What a redeem found: the handoff (null for an unknown token) and whether this very call used it up.</summary>
public sealed record HandoffConsumption(SignInHandoff? Handoff, bool Consumed);

/// <summary>Persistence of sign-in handoffs, implemented by Mailstead.Storage.</summary>
public interface ISignInHandoffStore
{
    Task AddAsync(SignInHandoff handoff, CancellationToken cancellationToken);

    /// <summary>
    /// Marks the handoff used if it was not, in one conditional UPDATE, so of two redeems at once (on any nodes) exactly
    /// one gets <see cref="HandoffConsumption.Consumed"/>.
    /// </summary>
    Task<HandoffConsumption> ConsumeAsync(string tokenHash, DateTime now, CancellationToken cancellationToken);

    /// <summary>Deletes handoffs that expired before <paramref name="before"/>; returns how many.</summary>
    Task<int> DeleteExpiredAsync(DateTime before, CancellationToken cancellationToken);
}
