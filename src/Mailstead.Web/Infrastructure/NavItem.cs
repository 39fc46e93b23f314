namespace Mailstead.Web.Infrastructure;

/// <summary>One entry of a surface's side navigation.</summary>
public sealed record NavItem(string Label, string Path, string Icon)
{
    public static IReadOnlyList<NavItem> For(WebSurface surface, SignedIn? signedIn)
    {
        if (signedIn is null || signedIn.Session.MustChangePassword)
        {
            return [];
        }

        return surface == WebSurface.Admin
            ? AdminNav.For(signedIn)
            :
            [
                new("Password", "/account/password", "i-key"),
                new("Recovery address", "/account/recovery", "i-mail"),
                new("Sessions", "/account/sessions", "i-monitor"),
                new("Security log", "/account/security", "i-shield"),
            ];
    }
}
