using Mailstead.Web.Infrastructure;

namespace Mailstead.Web.Pages.Mail;

public sealed class LogoutModel(WebSignIn signIn) : SignOutPageModel(signIn)
{
    protected override WebSurface Surface => WebSurface.Webmail;
}
