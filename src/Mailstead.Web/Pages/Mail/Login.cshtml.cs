using Mailstead.Web.Infrastructure;

namespace Mailstead.Web.Pages.Mail;

public sealed class LoginModel(WebSignIn signIn) : SignInPageModel(signIn)
{
    protected override WebSurface Surface => WebSurface.Webmail;
}
