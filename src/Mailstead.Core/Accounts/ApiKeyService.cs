using System.Security.Cryptography;
using System.Text;
using Mailstead.Core.Audit;
using Mailstead.Core.Sessions;

namespace Mailstead.Core.Accounts;

/// <summary>The key, shown once at creation, and what is stored about it.</summary>
public sealed record CreatedApiKey(ApiKey Key, string Secret);

/// <summary>Operators' API keys: created and revoked by their owner, checked at every API request.</summary>
public sealed class ApiKeyService(IApiKeyStore keys, IAccountStore accounts, TimeProvider time)
{
    public const string SecretPrefix = "msk_";

    public async Task<Outcome<CreatedApiKey>> CreateAsync(Actor actor, string name, CancellationToken cancellationToken)
    {
        if (actor is not Actor.OperatorActor { Operator: { Disabled: false } op })
        {
            return new Problem(ProblemKind.Denied, "Only operators have API keys.");
        }

        var trimmed = name?.Trim() ?? "";
        if (trimmed.Length is 0 or > 128)
        {
            return new Problem(ProblemKind.Invalid, "Give the key a name of 1 to 128 characters, e.g. the script that uses it.")
            {
                Fields = new Dictionary<string, string> { ["name"] = "Enter a name of 1 to 128 characters." },
            };
        }

        var secret = SecretPrefix + SessionService.Base64Url(RandomNumberGenerator.GetBytes(32));
        var key = new ApiKey
        {
            OperatorId = op.Id,
            Name = trimmed,
            Prefix = secret[..12],
            SecretHash = Hash(secret),
            CreatedAt = Now,
        };
        await keys.AddAsync(key, Audit(op, AuditAction.ApiKeyCreated, trimmed), cancellationToken).ConfigureAwait(false);
        return new CreatedApiKey(key, secret);
    }

    public async Task<IReadOnlyList<ApiKey>> ListAsync(Operator op, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(op);
        return await keys.ListAsync(op.Id, cancellationToken).ConfigureAwait(false);
    }

    public async Task<bool> RevokeAsync(Operator op, long id, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(op);
        return await keys.RevokeAsync(op.Id, id, Now, Audit(op, AuditAction.ApiKeyRevoked, $"key {id}"), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The operator behind a bearer secret, or null for an unknown, revoked or disabled one.</summary>
    public async Task<Operator?> AuthenticateAsync(string? secret, CancellationToken cancellationToken)
    {
        if (secret is null || !secret.StartsWith(SecretPrefix, StringComparison.Ordinal) || secret.Length > 128)
        {
            return null;
        }

        var key = await keys.FindBySecretHashAsync(Hash(secret), cancellationToken).ConfigureAwait(false);
        if (key is null || key.RevokedAt is not null)
        {
            return null;
        }

        var op = await accounts.FindOperatorByIdAsync(key.OperatorId, cancellationToken).ConfigureAwait(false);
        if (op is null || op.Disabled)
        {
            return null;
        }

        if (key.LastUsedAt is null || Now - key.LastUsedAt > TimeSpan.FromMinutes(1))
        {
            await keys.TouchAsync(key.Id, Now, cancellationToken).ConfigureAwait(false);
        }

        return op;
    }

    private static string Hash(string secret) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(secret)));

    private DateTime Now => time.GetUtcNow().UtcDateTime;

    private AuditEvent Audit(Operator op, AuditAction action, string detail) => new()
    {
        At = Now,
        Action = action,
        Outcome = AuditOutcome.Success,
        Actor = op.Email,
        Target = op.Email,
        Surface = Surface.AdminPanel,
        Detail = detail,
    };
}
