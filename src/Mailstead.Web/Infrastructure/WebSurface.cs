using Mailstead.Core.Accounts;
using Microsoft.AspNetCore.Http;

namespace Mailstead.Web.Infrastructure;

/// <summary>
/// One signed-in area of the site: its own cookie (a user may be signed in to several at once), its sign-in
/// and password pages, and who signs in there.
/// </summary>
public sealed record WebSurface(string Name, string PathPrefix, Surface Surface, CredentialOwnerKind OwnerKind)
{
    public static readonly WebSurface Account = new("account", "/account", Surface.UserPanel, CredentialOwnerKind.Mailbox);

    public static readonly WebSurface Admin = new("admin", "/admin", Surface.AdminPanel, CredentialOwnerKind.Operator);

    public static IReadOnlyList<WebSurface> All { get; } = [Account, Admin];

    public string LoginPath => PathPrefix + "/login";

    public string PasswordPath => PathPrefix + "/password";

    /// <summary>Over HTTPS the cookie takes the <c>__Host-</c> prefix: Secure, Path=/, no Domain, so no sibling host can set it.</summary>
    public string CookieName(bool secure) => (secure ? "__Host-" : "") + "mailstead-" + Name;

    public static WebSurface? ForPath(PathString path) =>
        All.FirstOrDefault(s => path.StartsWithSegments(s.PathPrefix, StringComparison.OrdinalIgnoreCase));
}
