using Mailstead.Core.Credentials;
using Mailstead.Web.Infrastructure;

namespace Mailstead.Web.Pages.Account;

public sealed class PasswordModel(CredentialService credentials, WebSignIn signIn) : PasswordPageModel(credentials, signIn)
{
    protected override WebSurface Surface => WebSurface.Account;
}
