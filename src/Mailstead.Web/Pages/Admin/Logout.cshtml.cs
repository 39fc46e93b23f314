using Mailstead.Web.Infrastructure;

namespace Mailstead.Web.Pages.Admin;

public sealed class LogoutModel(WebSignIn signIn) : SignOutPageModel(signIn)
{
    protected override WebSurface Surface => WebSurface.Admin;
}
