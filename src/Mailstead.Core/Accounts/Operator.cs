namespace Mailstead.Core.Accounts;

public enum OperatorRole
{
    /// <summary>Runs the platform: every domain, every operator.</summary>
    PlatformAdmin = 1,

    /// <summary>A customer who owns domains: only the domains listed in <see cref="Operator.Domains"/>.</summary>
    AccountAdmin = 2,
}

/// <summary>Someone who signs in to the admin panel or the API. Not a mailbox.</summary>
public sealed class Operator
{
    public long Id { get; set; }

    /// <summary>Normalised sign-in address; unique.</summary>
    public required string Email { get; set; }

    public OperatorRole Role { get; set; }

    public required Credential Credential { get; set; }

    public bool Disabled { get; set; }

    /// <summary>Normalised names of the domains an account administrator manages; ignored for platform admins.</summary>
    public List<string> Domains { get; set; } = [];

    public DateTime CreatedAt { get; set; }

    public bool CanManage(string domain) =>
        !Disabled && (Role == OperatorRole.PlatformAdmin || Domains.Contains(domain, StringComparer.Ordinal));
}
