namespace Mailstead.Core.Credentials;

/// <summary>
/// Platform-wide password rules (configuration section <c>Mailstead:Password</c>). Defaults follow
/// NIST SP 800-63B §3.1.1 and OWASP ASVS 5.0 §6.2: length over composition, no forced rotation.
/// </summary>
public sealed record PasswordPolicyOptions
{
    public const string Section = "Mailstead:Password";

    /// <summary>Minimum length in Unicode code points after NFC normalisation.</summary>
    public int MinLength { get; init; } = 12;

    /// <summary>Longest accepted password in code points; ASVS 6.2.9 asks that at least 128 be accepted.</summary>
    public int MaxLength { get; init; } = 256;

    public bool RequireUppercase { get; init; }

    public bool RequireLowercase { get; init; }

    public bool RequireDigit { get; init; }

    public bool RequireSymbol { get; init; }
}

/// <summary>
/// What one domain changes in the platform policy. A domain can only tighten it: a shorter minimum than the
/// platform's is ignored, and composition rules add to the platform's.
/// </summary>
public sealed record PasswordPolicyOverrides
{
    public int? MinLength { get; init; }

    public bool RequireUppercase { get; init; }

    public bool RequireLowercase { get; init; }

    public bool RequireDigit { get; init; }

    public bool RequireSymbol { get; init; }
}
