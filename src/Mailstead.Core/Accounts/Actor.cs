namespace Mailstead.Core.Accounts;

/// <summary>Who is asking. Permission checks in Core services take an actor, so every surface gets them.</summary>
public abstract record Actor(string Name)
{
    /// <summary>The person at the server's console (the CLI) or the server itself: may do anything.</summary>
    public sealed record System(string What) : Actor(What);

    public sealed record OperatorActor(Operator Operator) : Actor(Operator.Email);

    public sealed record MailboxUser(string Address) : Actor(Address);

    public bool CanManageDomain(string domain) => this switch
    {
        System => true,
        OperatorActor o => o.Operator.CanManage(domain),
        _ => false,
    };

    public bool IsPlatformAdmin => this switch
    {
        System => true,
        OperatorActor o => !o.Operator.Disabled && o.Operator.Role == OperatorRole.PlatformAdmin,
        _ => false,
    };
}
