using Mailstead.Core.Accounts;

namespace Mailstead.Web.Infrastructure;

/// <summary>The admin panel's tabs. An account administrator's mailbox tab is titled "Mail", as in a hosting control panel.</summary>
public static class AdminNav
{
    public static IReadOnlyList<NavItem> For(SignedIn signedIn)
    {
        var platform = signedIn.Operator?.Role == OperatorRole.PlatformAdmin;
        var items = new List<NavItem> { new(platform ? "Email" : "Mail", "/admin", "i-mail") };
        if (platform)
        {
            items.Add(new("Domains", "/admin/domains", "i-globe"));
            items.Add(new("Operators", "/admin/operators", "i-users"));
        }

        items.Add(new("Audit", "/admin/audit", "i-list"));
        items.Add(new("API keys", "/admin/api-keys", "i-api"));
        return items;
    }
}
