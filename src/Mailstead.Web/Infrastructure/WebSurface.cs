using Mailstead.Core.Accounts;
using Microsoft.AspNetCore.Http;

namespace Mailstead.Web.Infrastructure;

/// <summary>
/// One signed-in area of the site: its own cookie (a user may be signed in to several at once), its sign-in
/// and password pages, and who signs in there.
/// </summary>
public sealed record WebSurface(string Name, string PathPrefix, Surface Surface, CredentialOwnerKind OwnerKind)
{
    private readonly string? _passwordPath;

    public static readonly WebSurface Account = new("account", "/account", Surface.UserPanel, CredentialOwnerKind.Mailbox);

    public static readonly WebSurface Admin = new("admin", "/admin", Surface.AdminPanel, CredentialOwnerKind.Operator);

    /// <summary>The webmail; its password page is My Account's Account tab.</summary>
    public static readonly WebSurface Webmail = new("webmail", "/mail", Surface.Webmail, CredentialOwnerKind.Mailbox) { PasswordPath = "/mail/account" };

    public static IReadOnlyList<WebSurface> All { get; } = [Account, Admin, Webmail];

    public string LoginPath => PathPrefix + "/login";

    /// <summary>Where a user who must change the password is sent (the surface's password page).</summary>
    public string PasswordPath
    {
        get => _passwordPath ?? PathPrefix + "/password";
        init => _passwordPath = value;
    }

    /// <summary>Over HTTPS the cookie takes the <c>__Host-</c> prefix: Secure, Path=/, no Domain, so no sibling host can set it.</summary>
    public string CookieName(bool secure) => (secure ? "__Host-" : "") + "mailstead-" + Name;

    public static WebSurface? ForPath(PathString path) =>
        All.FirstOrDefault(s => path.StartsWithSegments(s.PathPrefix, StringComparison.OrdinalIgnoreCase));
}
