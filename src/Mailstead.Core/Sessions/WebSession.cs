using Mailstead.Core.Accounts;

namespace Mailstead.Core.Sessions;

/// <summary>
/// A signed-in browser, stored so it survives a restart and can be listed and ended from anywhere.
/// The cookie carries a random token; only its SHA-256 is stored, so a database leak signs nobody in.
/// </summary>
public sealed class WebSession
{
    public long Id { get; set; }

    /// <summary>Lower-case hex SHA-256 of the cookie token; unique.</summary>
    public required string TokenHash { get; set; }

    public CredentialOwnerKind OwnerKind { get; set; }

    /// <summary>The mailbox address or operator email.</summary>
    public required string Login { get; set; }

    /// <summary>The credential epoch this session was created under: when the credential's epoch moves, the session is dead.</summary>
    public long Epoch { get; set; }

    public Surface Surface { get; set; }

    public string? ClientAddress { get; set; }

    public string? UserAgent { get; set; }

    public DateTime CreatedAt { get; set; }

    public DateTime LastSeenAt { get; set; }

    /// <summary>The absolute end, whatever the activity.</summary>
    public DateTime ExpiresAt { get; set; }
}

/// <summary>Persistence of web sessions, implemented by Mailstead.Storage.</summary>
public interface ISessionStore
{
    Task AddAsync(WebSession session, CancellationToken cancellationToken);

    Task<WebSession?> FindAsync(string tokenHash, CancellationToken cancellationToken);

    Task<WebSession?> FindByIdAsync(long id, CancellationToken cancellationToken);

    Task TouchAsync(long id, DateTime lastSeenAt, CancellationToken cancellationToken);

    /// <summary>Newest first.</summary>
    Task<IReadOnlyList<WebSession>> ListAsync(CredentialOwner owner, CancellationToken cancellationToken);

    /// <summary>Deletes one session of that owner; false when there was none with that id.</summary>
    Task<bool> DeleteAsync(CredentialOwner owner, long id, CancellationToken cancellationToken);

    /// <summary>Deletes every session of the owner but <paramref name="exceptId"/>; returns how many.</summary>
    Task<int> DeleteAllAsync(CredentialOwner owner, long? exceptId, CancellationToken cancellationToken);

    Task<int> DeleteExpiredAsync(DateTime now, DateTime idleSince, CancellationToken cancellationToken);
}
