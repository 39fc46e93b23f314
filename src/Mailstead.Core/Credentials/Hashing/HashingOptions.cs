namespace Mailstead.Core.Credentials.Hashing;

/// <summary>
/// Argon2id cost (configuration section <c>Mailstead:Hashing</c>). The defaults are the first of the equivalent
/// settings in the OWASP Password Storage Cheat Sheet (Argon2id, m=19 MiB, t=2, p=1).
/// </summary>
public sealed record HashingOptions
{
    public const string Section = "Mailstead:Hashing";

    /// <summary>Argon2 memory cost m in KiB; libsodium takes it in bytes (MemoryKiB * 1024).</summary>
    public int MemoryKiB { get; init; } = 19456;

    /// <summary>Argon2 passes t. Parallelism is always p=1: libsodium's argon2id computes a single lane.</summary>
    public int Iterations { get; init; } = 2;

    /// <summary>Hashes and verifications running at once; 0 means <c>Math.Max(2, Environment.ProcessorCount)</c>.</summary>
    public int MaxConcurrentHashes { get; init; }
}

public enum HashVerification
{
    Mismatch,
    Match,

    /// <summary>The password is right, but the stored hash is a legacy scheme or other Argon2id parameters: store a new hash.</summary>
    MatchNeedsRehash,
}
