using Mailstead.Core.Credentials;

namespace Mailstead.Core.Accounts;

/// <summary>A mail domain hosted here, with the settings the password promise needs.</summary>
public sealed class Domain
{
    public long Id { get; set; }

    /// <summary>Normalised name (see <see cref="DomainName"/>).</summary>
    public required string Name { get; set; }

    /// <summary>When false, only operators may change the domain's mailbox passwords; users see <see cref="AdminContact"/>.</summary>
    public bool SelfServiceEnabled { get; set; } = true;

    /// <summary>Who users of this domain ask for a password change (free text: a name, an address or a URL).</summary>
    public string? AdminContact { get; set; }

    /// <summary>Where this domain tightens the platform password policy.</summary>
    public PasswordPolicyOverrides PolicyOverrides { get; set; } = new();

    public DateTime CreatedAt { get; set; }
}
