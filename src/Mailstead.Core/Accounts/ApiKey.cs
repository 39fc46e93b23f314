namespace Mailstead.Core.Accounts;

/// <summary>
/// An operator's key for the HTTP API (<c>Authorization: Bearer msk_…</c>). The key is 256 random bits, shown
/// once; only its SHA-256 is stored (a fast hash is right here: the secret is random, not a human password).
/// </summary>
public sealed class ApiKey
{
    public long Id { get; set; }

    public long OperatorId { get; set; }

    public required string Name { get; set; }

    /// <summary>The first characters of the key, to tell keys apart in lists.</summary>
    public required string Prefix { get; set; }

    /// <summary>Lower-case hex SHA-256 of the whole key; unique.</summary>
    public required string SecretHash { get; set; }

    public DateTime CreatedAt { get; set; }

    public DateTime? LastUsedAt { get; set; }

    public DateTime? RevokedAt { get; set; }
}

/// <summary>Persistence of API keys, implemented by Mailstead.Storage.</summary>
public interface IApiKeyStore
{
    Task AddAsync(ApiKey key, Audit.AuditEvent audit, CancellationToken cancellationToken);

    Task<ApiKey?> FindBySecretHashAsync(string secretHash, CancellationToken cancellationToken);

    Task<IReadOnlyList<ApiKey>> ListAsync(long operatorId, CancellationToken cancellationToken);

    /// <summary>Marks a key of that operator revoked; false when there was none.</summary>
    Task<bool> RevokeAsync(long operatorId, long id, DateTime at, Audit.AuditEvent audit, CancellationToken cancellationToken);

    Task TouchAsync(long id, DateTime at, CancellationToken cancellationToken);
}
